package io.warmline.bridge.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a route needs of a request, copied out of Netty's (whose buffer is released when the handler returns), so
 * the route may finish on another thread.
 */
public record ApiRequest(String method, String path, HttpHeaders headers, byte[] body, long receivedNanos) {

    /** A request whose arrival time is not known: {@link #receivedNanos()} is -1. */
    public ApiRequest(String method, String path, HttpHeaders headers, byte[] body) {
        this(method, path, headers, body, -1);
    }

    /** @param receivedNanos when the request was read, on the node's nanosecond clock */
    static ApiRequest of(FullHttpRequest r, long receivedNanos) {
        byte[] body = new byte[r.content().readableBytes()];
        r.content().getBytes(r.content().readerIndex(), body);
        return new ApiRequest(r.method().name(), new QueryStringDecoder(r.uri()).rawPath(), r.headers().copy(), body,
                receivedNanos);
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** The media type of the body, lower case, without parameters; null when absent. */
    public String mediaType() {
        String ct = headers.get("content-type");
        if (ct == null) {
            return null;
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
