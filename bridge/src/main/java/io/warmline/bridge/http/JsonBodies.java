package io.warmline.bridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.List;

/** Reads the JSON object body of an API request, refusing each way it can be wrong with a problem that names it. */
final class JsonBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBodies() {
    }

    /**
     * The request's body as a JSON object with no field outside {@code fields}.
     *
     * @param example a valid body, quoted in the refusal of one that is not an object
     * @throws ApiProblem 415 for another content type, 413 above {@code maxBytes}, 400 for malformed JSON, a
     *     non-object or an unknown field
     */
    static JsonNode object(ApiRequest r, int maxBytes, List<String> fields, String example) {
        if (!"application/json".equals(r.mediaType())) {
            throw new ApiProblem(415, "unsupported-media-type", "Content-Type must be application/json, got "
                    + (r.mediaType() == null ? "none" : r.mediaType()));
        }
        if (r.body().length > maxBytes) {
            throw new ApiProblem(413, "body-too-large", "the body is " + r.body().length + " bytes; at most "
                    + maxBytes);
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (java.io.IOException e) {
            String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new ApiProblem(400, "malformed-json", "the body is not JSON: "
                    + (m == null ? "unreadable" : m.substring(0, Math.min(200, m.length()))));
        }
        if (body == null || !body.isObject()) {
            throw new ApiProblem(400, "malformed-json", "the body must be a JSON object such as " + example);
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new ApiProblem(400, "unknown-field", "unknown field \"" + quotable(f) + "\"; allowed: "
                        + String.join(", ", fields));
            }
        }
        return body;
    }

    /** At most 64 characters of client text, safe inside a quoted message. */
    static String quotable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return t.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }
}
