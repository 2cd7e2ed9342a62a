package io.warmline.bridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.warmline.bridge.metrics.CallOutcome;
import io.warmline.bridge.metrics.Exposition;
import io.warmline.bridge.metrics.NodeMetrics;
import io.warmline.config.ApiConfig;
import io.warmline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} over an {@link EmbeddedChannel}: the API key guards it; the body is the text exposition. */
class MetricsRouteTest {
    private static final String KEY = "backend-key-0123456789";

    private final NodeMetrics metrics = new NodeMetrics();
    private final ControlApi api = ControlApi.create(
            new ApiConfig(Map.of("monitoring", Secret.of(KEY)), Duration.ofMinutes(5),
                    Secret.of("0123456789abcdef0123456789abcdef"), List.of(), 2),
            List.of("support"), new RecordingConversations(), new FakeRecordings(), () -> Instant.EPOCH, metrics);

    private record Reply(int status, String contentType, String authenticate, String body) {}

    private Reply get(HttpMethod method, String authorization) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRoutes(() -> true, api));
        DefaultFullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/metrics",
                Unpooled.EMPTY_BUFFER);
        if (authorization != null) {
            req.headers().set("authorization", authorization);
        }
        ch.writeInbound(req);
        ch.runPendingTasks();
        FullHttpResponse r = ch.readOutbound();
        assertNotNull(r, "no response");
        Reply reply = new Reply(r.status().code(), r.headers().get("content-type"),
                r.headers().get("www-authenticate"), r.content().toString(StandardCharsets.UTF_8));
        r.release();
        ch.finishAndReleaseAll();
        return reply;
    }

    @Test
    void withoutTheApiKeyTheMetricsAreRefused() {
        Reply none = get(HttpMethod.GET, null);
        assertEquals(401, none.status());
        assertEquals("application/problem+json", none.contentType());
        assertEquals("Bearer realm=\"warmline\"", none.authenticate());
        assertFalse(none.body().contains("warmline_"), none.body());

        Reply wrong = get(HttpMethod.GET, "Bearer not-the-key-0123456789");
        assertEquals(401, wrong.status());
        assertTrue(wrong.authenticate().contains("error=\"invalid_token\""));
        assertFalse(wrong.body().contains("warmline_"), wrong.body());
    }

    @Test
    void withTheApiKeyTheMetricsAreTheTextExposition() {
        metrics.callStarted("carrier");
        metrics.callEnded("carrier", CallOutcome.UNANSWERED);
        Reply r = get(HttpMethod.GET, "Bearer " + KEY);
        assertEquals(200, r.status(), r.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.contentType());
        Exposition e = Exposition.parse(r.body());
        assertEquals(1, e.valueOrZero("warmline_calls_started_total", "trunk", "carrier"));
        assertEquals(1, e.valueOrZero("warmline_calls_ended_total", "trunk", "carrier", "outcome", "unanswered"));
        assertEquals("counter", e.type("warmline_media_ticks_total"));
        assertEquals("histogram", e.type("warmline_leg_mos"));
    }

    @Test
    void otherMethodsAreNotAllowed() {
        assertEquals(405, get(HttpMethod.POST, "Bearer " + KEY).status());
        assertEquals(200, get(HttpMethod.HEAD, "Bearer " + KEY).status());
    }
}
