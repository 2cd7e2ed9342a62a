package io.warmline.bridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordingRoutesTest {
    private static final String KEY = "backend-key-0123456789";
    private static final String AUTH = "Bearer " + KEY;

    private final ControlApi api = ControlApi.create(
            new ApiConfig(Map.of("crm", Secret.of(KEY)), Duration.ofMinutes(5),
                    Secret.of("0123456789abcdef0123456789abcdef"), List.of(), 2),
            List.of("support"), new RecordingConversations(), new FakeRecordings("c1"),
            () -> Instant.parse("2025-01-01T10:00:00Z"));

    private record Reply(int status, String contentType, JsonNode body) {}

    private Reply call(String method, String conversation, String contentType, String body, String authorization)
            throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRoutes(() -> true, api));
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method),
                "/v1/conversations/" + conversation + "/recording",
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            req.headers().set("content-type", contentType);
        }
        if (authorization != null) {
            req.headers().set("authorization", authorization);
        }
        ch.writeInbound(req);
        ch.runPendingTasks();
        FullHttpResponse r = ch.readOutbound();
        Reply reply = new Reply(r.status().code(), r.headers().get("content-type"),
                new ObjectMapper().readTree(r.content().toString(StandardCharsets.UTF_8)));
        r.release();
        ch.finishAndReleaseAll();
        return reply;
    }

    @Test
    void startsWithTheDefaultModeAndStops() throws Exception {
        Reply started = call("POST", "c1", null, "", AUTH);
        assertEquals(201, started.status(), started.body().toString());
        assertEquals("recording", started.body().get("status").asText());
        assertEquals("mix", started.body().get("mode").asText());
        assertEquals("c1", started.body().get("conversationId").asText());
        assertEquals("2025-01-01/c1_mix.wav", started.body().get("files").get(0).asText());

        Reply again = call("POST", "c1", "application/json", "{\"mode\":\"both\"}", AUTH);
        assertEquals(409, again.status());
        assertEquals("already-recording", again.body().get("code").asText());
        assertEquals("application/problem+json", again.contentType());

        Reply stopped = call("DELETE", "c1", null, "", AUTH);
        assertEquals(200, stopped.status());
        assertEquals("stopped", stopped.body().get("status").asText());
        Reply notRecording = call("DELETE", "c1", null, "", AUTH);
        assertEquals(409, notRecording.status());
        assertEquals("not-recording", notRecording.body().get("code").asText());
    }

    @Test
    void theModeComesFromTheBody() throws Exception {
        Reply r = call("POST", "c1", "application/json", "{\"mode\":\"participants\"}", AUTH);
        assertEquals(201, r.status());
        assertEquals("participants", r.body().get("mode").asText());
    }

    @Test
    void refusals() throws Exception {
        assertEquals(401, call("POST", "c1", null, "", null).status());
        assertEquals(401, call("DELETE", "c1", null, "", "Bearer wrong-key-0123456789").status());
        assertEquals(404, call("POST", "other", null, "", AUTH).status());
        assertEquals("no-such-conversation", call("DELETE", "other", null, "", AUTH).body().get("code").asText());
        assertEquals("bad-recording-mode",
                call("POST", "c1", "application/json", "{\"mode\":\"stereo\"}", AUTH).body().get("code").asText());
        assertEquals("bad-recording-mode",
                call("POST", "c1", "application/json", "{\"mode\":3}", AUTH).body().get("code").asText());
        assertEquals("unknown-field",
                call("POST", "c1", "application/json", "{\"format\":\"mp3\"}", AUTH).body().get("code").asText());
        assertEquals(415, call("POST", "c1", "text/plain", "mix", AUTH).status());
        assertEquals(400, call("POST", "..", null, "", AUTH).status());
        Reply wrongMethod = call("GET", "c1", null, "", AUTH);
        assertEquals(405, wrongMethod.status());
        assertTrue(wrongMethod.body().get("detail").asText().contains("POST, DELETE"));
    }
}
