package io.warmline.bridge.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A response before it becomes Netty's: status, content type, body and extra headers. Plain bytes, so a reply made
 * on another thread carries no buffer to release. {@code written}, when not null, is told the time (the node's
 * nanosecond clock) the response was written to the connection.
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers,
        LongConsumer written) {
    public HttpReply {
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, null);
    }

    public HttpReply whenWritten(LongConsumer written) {
        return new HttpReply(status, contentType, body, headers, written);
    }

    public static HttpReply json(int status, String json) {
        return new HttpReply(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpReply empty(int status) {
        return new HttpReply(status, null, new byte[0], Map.of());
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new HttpReply(status, contentType, body, h, written);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
