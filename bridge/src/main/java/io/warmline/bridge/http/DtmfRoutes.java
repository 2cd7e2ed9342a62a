package io.warmline.bridge.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmline.bridge.conversation.Conversations;
import io.warmline.bridge.conversation.DtmfPressed;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys on demand, with the backend's API key: {@code POST /v1/conversations/{id}/dtmf} with
 * {@code {"digits": "1w2#", "leg": "support"}} queues the keys on a leg of that conversation (default: the live
 * escalation's answered support line) and answers {@code 202} with the request's id. The leg is looked up in that
 * conversation only, so a key can never reach another conversation's legs. Refusals are RFC 9457 problems: 400 (a
 * bad sequence, with its position; too long), 404 (no such conversation), 409 (no live leg, or the leg cannot send
 * keys in its mode), 429 (rate or queue limit, with {@code Retry-After}).
 */
final class DtmfRoutes {
    private static final Logger log = LoggerFactory.getLogger(DtmfRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_JSON_BYTES = 4 * 1024;
    /** Longer than any sequence a leg takes (DialLimits), so the leg's own limit is the one reported. */
    private static final int MAX_DIGITS_CHARS = 1024;
    private static final Set<String> FIELDS = Set.of("digits", "leg");
    private static final Pattern LEG = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ApiAuth auth;
    private final Conversations conversations;

    DtmfRoutes(ApiAuth auth, Conversations conversations) {
        this.auth = auth;
        this.conversations = conversations;
    }

    CompletionStage<HttpReply> press(ApiRequest r, String conversationId) {
        String keyName = auth.requireApiKey(r);
        if (!"application/json".equals(r.mediaType())) {
            throw new ApiProblem(415, "unsupported-media-type", "Content-Type must be application/json, got "
                    + (r.mediaType() == null ? "none" : r.mediaType()));
        }
        if (r.body().length > MAX_JSON_BYTES) {
            throw new ApiProblem(413, "body-too-large", "the body is " + r.body().length + " bytes; at most "
                    + MAX_JSON_BYTES);
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
            throw new ApiProblem(400, "malformed-json", "the body must be a JSON object such as {\"digits\": \"1w2#\"}");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new ApiProblem(400, "unknown-field", "unknown field \"" + clean(f) + "\"; allowed: digits, leg");
            }
        }
        JsonNode digits = body.get("digits");
        if (digits == null || !digits.isTextual() || digits.asText().isEmpty()) {
            throw new ApiProblem(400, "missing-digits", "\"digits\" must be a DTMF sequence such as \"1w2#\"");
        }
        if (digits.asText().length() > MAX_DIGITS_CHARS) {
            throw new ApiProblem(400, "dtmf-too-long", "\"digits\" has " + digits.asText().length()
                    + " characters; at most " + MAX_DIGITS_CHARS);
        }
        String leg = null;
        JsonNode legNode = body.get("leg");
        if (legNode != null && !legNode.isNull()) {
            if (!legNode.isTextual() || !LEG.matcher(legNode.asText()).matches()) {
                throw new ApiProblem(400, "bad-leg", "\"leg\" must be \"support\", an escalation id or a voice leg id");
            }
            leg = legNode.asText();
        }
        log.info("DTMF for conversation {} leg {} requested with API key {}", conversationId,
                leg == null ? "support" : leg, keyName);
        return conversations.pressDigits(conversationId, leg, digits.asText()).thenApply(DtmfRoutes::accepted);
    }

    private static HttpReply accepted(DtmfPressed p) {
        var node = JSON.createObjectNode()
                .put("id", p.id())
                .put("conversationId", p.conversationId())
                .put("leg", p.leg())
                .put("status", "queued");
        return new HttpReply(202, "application/json", node.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static String clean(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return t.replaceAll("[\\p{Cntrl}\"\\\\]", "?");
    }
}
