package io.warmline.bridge.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warmline.bridge.recording.RecordingView;
import io.warmline.bridge.recording.Recordings;
import io.warmline.config.RecordingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recording on demand, with the backend's API key: {@code POST /v1/conversations/{id}/recording} (body optional:
 * {@code {"mode": "mix" | "participants" | "both"}}, default the configured mode) starts recording a live
 * conversation or carrier call and answers {@code 201} with the files; {@code DELETE} stops it and answers
 * {@code 200}. Refusals are RFC 9457 problems: 400 (bad body or mode), 404 (no such live conversation), 409 (already
 * recording, not recording, recording not configured).
 */
final class RecordingRoutes {
    private static final Logger log = LoggerFactory.getLogger(RecordingRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_JSON_BYTES = 1024;
    private static final List<String> FIELDS = List.of("mode");

    private final ApiAuth auth;
    private final Recordings recordings;

    RecordingRoutes(ApiAuth auth, Recordings recordings) {
        this.auth = auth;
        this.recordings = recordings;
    }

    CompletionStage<HttpReply> start(ApiRequest r, String conversationId) {
        String keyName = auth.requireApiKey(r);
        RecordingMode mode = null;
        if (r.body().length > 0) {
            JsonNode body = JsonBodies.object(r, MAX_JSON_BYTES, FIELDS, "{\"mode\": \"both\"}");
            JsonNode m = body.get("mode");
            if (m != null && !m.isNull()) {
                mode = m.isTextual() ? RecordingMode.ofKey(m.asText()) : null;
                if (mode == null) {
                    throw new ApiProblem(400, "bad-recording-mode",
                            "\"mode\" must be \"mix\", \"participants\" or \"both\"");
                }
            }
        }
        log.info("Recording of conversation {} requested with API key {}", conversationId, keyName);
        return recordings.start(conversationId, mode).thenApply(v -> json(201, v, "recording"));
    }

    CompletionStage<HttpReply> stop(ApiRequest r, String conversationId) {
        String keyName = auth.requireApiKey(r);
        log.info("Recording of conversation {} stopped with API key {}", conversationId, keyName);
        return recordings.stop(conversationId).thenApply(v -> json(200, v, "stopped"));
    }

    private static HttpReply json(int status, RecordingView v, String state) {
        ObjectNode node = JSON.createObjectNode()
                .put("conversationId", v.conversationId())
                .put("status", state)
                .put("mode", v.mode().key())
                .put("startedAt", v.startedAt().toString());
        ArrayNode files = node.putArray("files");
        v.files().forEach(files::add);
        return new HttpReply(status, "application/json", node.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
