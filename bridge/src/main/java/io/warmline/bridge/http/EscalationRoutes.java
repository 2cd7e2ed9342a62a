package io.warmline.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmline.bridge.conversation.Conversations;
import io.warmline.bridge.conversation.EscalationView;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Escalations, with the backend's API key: {@code POST /v1/conversations/{id}/escalations} with
 * {@code {"target": "<configured target>"}} dials that target and bridges it into the conversation;
 * {@code GET} and {@code DELETE …/escalations/{eid}} read and cancel it. Only configured targets can be named: the
 * API never takes a number to dial (toll fraud).
 */
final class EscalationRoutes {
    private static final Logger log = LoggerFactory.getLogger(EscalationRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_JSON_BYTES = 16 * 1024;
    private static final List<String> FIELDS = List.of("target", "context");

    private final ApiAuth auth;
    private final Conversations conversations;
    private final List<String> targets;

    EscalationRoutes(ApiAuth auth, Conversations conversations, List<String> targets) {
        this.auth = auth;
        this.conversations = conversations;
        this.targets = List.copyOf(targets);
    }

    CompletionStage<HttpReply> create(ApiRequest r, String conversationId) {
        String keyName = auth.requireApiKey(r);
        JsonNode body = JsonBodies.object(r, MAX_JSON_BYTES, FIELDS, "{\"target\": \"support\"}");
        JsonNode target = body.get("target");
        if (target == null || !target.isTextual() || target.asText().isEmpty()) {
            throw new ApiProblem(400, "missing-target", "\"target\" must be the name of a configured target");
        }
        String name = target.asText();
        if (!targets.contains(name)) {
            throw new ApiProblem(422, "unknown-target", "no target named \"" + JsonBodies.quotable(name) + "\""
                    + (targets.isEmpty() ? "; no targets are configured" : "; configured: " + String.join(", ", targets)));
        }
        if (body.has("context") && !body.get("context").isObject()) {
            throw new ApiProblem(400, "bad-context", "\"context\" must be a JSON object");
        }
        log.info("Escalation of conversation {} to target {} requested with API key {}", conversationId, name, keyName);
        return conversations.escalate(conversationId, name).thenApply(v -> json(201, v)
                .withHeader("Location", path(conversationId, v.escalationId())));
    }

    HttpReply get(ApiRequest r, String conversationId, String escalationId) {
        auth.requireApiKey(r);
        EscalationView v = conversations.escalation(conversationId, escalationId).orElseThrow(() -> missing(
                conversationId, escalationId));
        return json(200, v);
    }

    CompletionStage<HttpReply> cancel(ApiRequest r, String conversationId, String escalationId) {
        auth.requireApiKey(r);
        conversations.escalation(conversationId, escalationId).orElseThrow(() -> missing(conversationId, escalationId));
        return conversations.cancelEscalation(conversationId, escalationId)
                .thenApply(v -> HttpReply.json(200, "{\"status\":\"cancelled\"}"));
    }

    private static ApiProblem missing(String conversationId, String escalationId) {
        return new ApiProblem(404, "no-such-escalation", "no escalation " + escalationId + " in conversation "
                + conversationId);
    }

    static String path(String conversationId, String escalationId) {
        return "/v1/conversations/" + conversationId + "/escalations/" + escalationId;
    }

    private static HttpReply json(int status, EscalationView v) {
        var node = JSON.createObjectNode()
                .put("id", v.escalationId())
                .put("conversationId", v.conversationId())
                .put("target", v.target())
                .put("state", v.state());
        if (v.reason() != null) {
            node.put("reason", v.reason());
        }
        return new HttpReply(status, "application/json", node.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }


}
