package io.warmline.bridge.http;

import java.util.List;
import java.util.Set;

/**
 * CORS for the widget's origins (Fetch standard, "CORS protocol"): the configured origins may call the voice API
 * from a page; preflights are answered here. Requests without {@code Origin} (servers, same-origin pages) are not
 * affected. Bearer credentials travel in {@code Authorization}, not cookies, so credentials mode is not allowed.
 */
final class Cors {
    static final String ALLOW_METHODS = "GET, POST, PATCH, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Authorization, Content-Type, If-Match";
    static final String EXPOSE_HEADERS = "Location, ETag, Link, Accept-Patch, Retry-After, WWW-Authenticate";
    static final String MAX_AGE = "600";

    private final Set<String> origins;

    Cors(List<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    boolean allows(String origin) {
        return origin != null && origins.contains(origin);
    }

    boolean isPreflight(ApiRequest r) {
        return r.method().equals("OPTIONS") && r.header("origin") != null
                && r.header("access-control-request-method") != null;
    }

    /** Answers a preflight: 204 with the allowed methods and headers, or 403 naming the refused origin. */
    HttpReply preflight(ApiRequest r) {
        String origin = r.header("origin");
        if (!allows(origin)) {
            throw new ApiProblem(403, "origin-not-allowed", "origin " + origin
                    + " is not among the configured widget origins (api.widget-origins)");
        }
        return HttpReply.empty(204)
                .withHeader("Access-Control-Allow-Origin", origin)
                .withHeader("Access-Control-Allow-Methods", ALLOW_METHODS)
                .withHeader("Access-Control-Allow-Headers", ALLOW_HEADERS)
                .withHeader("Access-Control-Max-Age", MAX_AGE)
                .withHeader("Vary", "Origin");
    }

    /** Adds the response headers that let an allowed origin read {@code reply}. */
    HttpReply decorate(ApiRequest r, HttpReply reply) {
        String origin = r.header("origin");
        if (!allows(origin)) {
            return reply.withHeader("Vary", "Origin");
        }
        return reply.withHeader("Access-Control-Allow-Origin", origin)
                .withHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS)
                .withHeader("Vary", "Origin");
    }
}
