package io.warmline.bridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpRoutesTest {
    private final AtomicBoolean ready = new AtomicBoolean(true);

    private FullHttpResponse exchange(HttpMethod method, String uri) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRoutes(ready::get, null));
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
        FullHttpResponse response = ch.readOutbound();
        ch.finishAndReleaseAll();
        return response;
    }

    private static String body(FullHttpResponse r) {
        try {
            return r.content().toString(StandardCharsets.UTF_8);
        } finally {
            r.release();
        }
    }

    @Test
    void healthzAnswersOk() {
        FullHttpResponse r = exchange(HttpMethod.GET, "/healthz");
        assertEquals(200, r.status().code());
        assertEquals("application/json", r.headers().get("content-type"));
        assertEquals("{\"status\":\"ok\"}", body(r));
    }

    @Test
    void readyzTurnsUnavailableWhileDraining() {
        FullHttpResponse r = exchange(HttpMethod.GET, "/readyz?verbose=1");
        assertEquals(200, r.status().code());
        body(r);
        ready.set(false);
        r = exchange(HttpMethod.GET, "/readyz");
        assertEquals(503, r.status().code());
        assertEquals("{\"status\":\"draining\"}", body(r));
    }

    @Test
    void unknownPathNamesThePath() {
        FullHttpResponse r = exchange(HttpMethod.GET, "/nope\"x");
        assertEquals(404, r.status().code());
        assertEquals("application/problem+json", r.headers().get("content-type"));
        assertTrue(body(r).contains("\"detail\":\"no resource at /nope\\\"x\""));
    }

    @Test
    void wrongMethodIs405WithAllow() {
        FullHttpResponse r = exchange(HttpMethod.POST, "/healthz");
        assertEquals(405, r.status().code());
        assertEquals("GET, HEAD", r.headers().get("allow"));
        assertTrue(body(r).contains("POST"));
    }

    @Test
    void headHasNoBody() {
        FullHttpResponse r = exchange(HttpMethod.HEAD, "/healthz");
        assertEquals(200, r.status().code());
        assertEquals(0, r.content().readableBytes());
        r.release();
    }
}
