package io.warmline.bridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** A client of the Chrome DevTools protocol over one WebSocket (java.net.http): commands and their replies by id. */
final class DevTools implements WebSocket.Listener, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final StringBuilder text = new StringBuilder();
    private WebSocket socket;

    private DevTools() {
    }

    static DevTools connect(String webSocketUrl, Duration timeout) throws Exception {
        DevTools d = new DevTools();
        d.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(webSocketUrl), d).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return d;
    }

    /** Sends {@code method} with {@code params}; returns the reply's {@code result}, or throws on an error reply. */
    JsonNode call(String method, ObjectNode params, Duration timeout) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(msg.toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        JsonNode r;
        try {
            r = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.remove(id);
            throw new IllegalStateException("no DevTools reply to " + method + " within " + timeout);
        }
        if (r.has("error")) {
            throw new IllegalStateException("DevTools refused " + method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            try {
                JsonNode msg = JSON.readTree(text.toString());
                CompletableFuture<JsonNode> f = pending.remove(msg.path("id").asInt(-1));
                if (f != null) {
                    f.complete(msg);
                }
            } catch (IOException e) {
                // DevTools sends only JSON; an unreadable frame answers nothing we wait for.
            }
            text.setLength(0);
        }
        ws.request(1);
        return null;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
