package io.warmline.bridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.warmline.config.ApiConfig;
import io.warmline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI description ({@code docs/openapi.yaml}) against the routes: every documented operation is routed (no
 * 404 "not-found" or 405), answers an unauthenticated or empty request with a documented status, and answers a
 * well-formed authenticated request with a documented success status.
 */
class OpenApiRoutesTest {
    private static final String KEY = "backend-key-0123456789";
    private static final Set<String> METHODS = Set.of("get", "post", "patch", "delete", "options");
    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";

    private final RecordingConversations conversations = new RecordingConversations();
    private final Instant now = Instant.parse("2025-01-01T10:00:00Z");
    private final ControlApi api = ControlApi.create(
            new ApiConfig(Map.of("crm", Secret.of(KEY)), Duration.ofMinutes(5),
                    Secret.of("0123456789abcdef0123456789abcdef"), List.of(), 2),
            List.of("support"), conversations, new FakeRecordings("c1"), () -> now);

    private record Operation(String path, String method, JsonNode spec) {
        Set<String> statuses() {
            Set<String> s = new java.util.HashSet<>();
            spec.path("responses").fieldNames().forEachRemaining(s::add);
            return s;
        }
    }

    private static List<Operation> operations() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(Path.of("../docs/openapi.yaml").toFile());
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<String> m = p.getValue().fieldNames(); m.hasNext(); ) {
                String method = m.next();
                if (METHODS.contains(method)) {
                    ops.add(new Operation(p.getKey(), method, p.getValue().get(method)));
                }
            }
        }
        return ops;
    }

    private record Reply(int status, String body) {
    }

    private Reply call(String method, String uri, String contentType, String body, String authorization) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRoutes(() -> true, api));
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            req.headers().set("content-type", contentType);
        }
        if (authorization != null) {
            req.headers().set("authorization", authorization);
        }
        if (method.equals("PATCH") && authorization != null) {
            // RFC 9725 §4.3.1: a trickle names the ICE session; RecordingConversations tags leg-1 so.
            req.headers().set("if-match", "\"etag-leg-1\"");
        }
        ch.writeInbound(req);
        ch.runPendingTasks();
        FullHttpResponse r = ch.readOutbound();
        Reply reply = new Reply(r.status().code(), r.content().toString(StandardCharsets.UTF_8));
        r.release();
        ch.finishAndReleaseAll();
        return reply;
    }

    private static String uri(String path) {
        return path.replace("{conversationId}", "c1").replace("{legId}", "leg-1").replace("{escalationId}", "esc-1")
                .replace("{file}", "voice-test.html");
    }

    @Test
    void everyDocumentedOperationIsRoutedAndAnswersADocumentedStatus() throws Exception {
        List<Operation> ops = operations();
        assertTrue(ops.size() >= 12, "operations found: " + ops.size());
        for (Operation op : ops) {
            Reply r = call(op.method().toUpperCase(), uri(op.path()), null, "", null);
            String where = op.method() + " " + op.path() + " -> " + r.status() + " " + r.body();
            assertNotEquals(405, r.status(), where);
            assertTrue(!r.body().contains("\"code\":\"not-found\"") || op.path().startsWith("/widget/"), where);
            assertTrue(op.statuses().contains(String.valueOf(r.status())), "undocumented status: " + where);
        }
    }

    @Test
    void wellFormedAuthenticatedRequestsGetADocumentedSuccess() throws Exception {
        String token = new ObjectMapper().readTree(call("POST", "/v1/conversations/c1/voice-tokens", null, "",
                "Bearer " + KEY).body()).get("token").asText();
        // The order matters: the leg and the escalation exist before they are read, patched and deleted.
        String[][] happy = {
                {"post", "/v1/conversations/{conversationId}/voice-tokens", null, "", "Bearer " + KEY},
                {"post", "/v1/conversations/{conversationId}/voice", "application/sdp", OFFER, "Bearer " + token},
                {"options", "/v1/conversations/{conversationId}/voice", null, "", null},
                {"patch", "/v1/conversations/{conversationId}/voice/{legId}", "application/trickle-ice-sdpfrag",
                        "a=candidate:1 1 udp 1 127.0.0.1 9 typ host\r\n", "Bearer " + token},
                {"options", "/v1/conversations/{conversationId}/voice/{legId}", null, "", null},
                {"post", "/v1/conversations/{conversationId}/escalations", "application/json",
                        "{\"target\":\"support\"}", "Bearer " + KEY},
                {"get", "/v1/conversations/{conversationId}/escalations/{escalationId}", null, "", "Bearer " + KEY},
                {"post", "/v1/conversations/{conversationId}/dtmf", "application/json", "{\"digits\":\"1w2#\"}",
                        "Bearer " + KEY},
                {"post", "/v1/conversations/{conversationId}/recording", "application/json", "{\"mode\":\"both\"}",
                        "Bearer " + KEY},
                {"delete", "/v1/conversations/{conversationId}/recording", null, "", "Bearer " + KEY},
                {"delete", "/v1/conversations/{conversationId}/escalations/{escalationId}", null, "", "Bearer " + KEY},
                {"delete", "/v1/conversations/{conversationId}/voice/{legId}", null, "", "Bearer " + token},
                {"get", "/healthz", null, "", null},
                {"get", "/readyz", null, "", null},
                {"get", "/metrics", null, "", "Bearer " + KEY},
                {"get", "/widget/{file}", null, "", null},
        };
        List<Operation> ops = operations();
        assertEquals(ops.size(), happy.length, "every documented operation has a well-formed request here");
        for (String[] h : happy) {
            Operation op = ops.stream().filter(o -> o.method().equals(h[0]) && o.path().equals(h[1])).findFirst()
                    .orElseThrow(() -> new AssertionError("not documented: " + h[0] + " " + h[1]));
            Reply r = call(h[0].toUpperCase(), uri(h[1]), h[2], h[3], h[4]);
            String where = h[0] + " " + h[1] + " -> " + r.status() + " " + r.body();
            assertTrue(r.status() >= 200 && r.status() < 300, where);
            assertTrue(op.statuses().contains(String.valueOf(r.status())), "undocumented status: " + where);
        }
    }
}
