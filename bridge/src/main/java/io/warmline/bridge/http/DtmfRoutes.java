package io.warmline.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmline.bridge.conversation.Conversations;
import io.warmline.bridge.conversation.DtmfPressed;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
    private static final List<String> FIELDS = List.of("digits", "leg");
    private static final Pattern LEG = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ApiAuth auth;
    private final Conversations conversations;

    DtmfRoutes(ApiAuth auth, Conversations conversations) {
        this.auth = auth;
        this.conversations = conversations;
    }

    CompletionStage<HttpReply> press(ApiRequest r, String conversationId) {
        String keyName = auth.requireApiKey(r);
        JsonNode body = JsonBodies.object(r, MAX_JSON_BYTES, FIELDS, "{\"digits\": \"1w2#\"}");
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

}
