package io.warmline.bridge.http;

import io.warmline.bridge.auth.ApiKeys;
import io.warmline.bridge.auth.Bearer;
import io.warmline.bridge.auth.TokenCheck;
import io.warmline.bridge.auth.TokenClaims;
import io.warmline.bridge.auth.TokenProblem;
import io.warmline.bridge.auth.WidgetTokens;
import java.time.InstantSource;

/**
 * Authenticates API requests: API keys for the company backend, widget tokens for the browser. Refusals are
 * {@link ApiProblem}s with the RFC 6750 §3 {@code WWW-Authenticate} challenge; the credential itself is never put in
 * a message or a log.
 */
final class ApiAuth {
    static final String REALM = "warmline";

    private final ApiKeys keys;
    private final WidgetTokens tokens;
    private final InstantSource clock;

    ApiAuth(ApiKeys keys, WidgetTokens tokens, InstantSource clock) {
        this.keys = keys;
        this.tokens = tokens;
        this.clock = clock;
    }

    WidgetTokens tokens() {
        return tokens;
    }

    InstantSource clock() {
        return clock;
    }

    /** The configured name of the API key presented, or throws 401. */
    String requireApiKey(ApiRequest request) {
        String credential = Bearer.credential(request.header("authorization"));
        if (credential == null) {
            throw unauthorized(null, "an API key is required: Authorization: Bearer <api key>");
        }
        if (keys.isEmpty()) {
            throw unauthorized("invalid_token", "no API keys are configured on this node (api.keys)");
        }
        return keys.authenticate(credential)
                .orElseThrow(() -> unauthorized("invalid_token", "the API key is not one of the configured keys"));
    }

    /** True when the request carries a configured API key (without refusing when it does not). */
    boolean hasApiKey(ApiRequest request) {
        String credential = Bearer.credential(request.header("authorization"));
        return credential != null && keys.authenticate(credential).isPresent();
    }

    /** A live widget token bound to {@code conversationId}, or throws 401/403. */
    TokenClaims requireToken(ApiRequest request, String conversationId) {
        return claims(tokens.verify(Bearer.credential(request.header("authorization")), conversationId,
                clock.instant()));
    }

    /** As {@link #requireToken} but an expired token still identifies the leg it opened. */
    TokenClaims requireTokenIgnoringExpiry(ApiRequest request, String conversationId) {
        return claims(tokens.verifyIgnoringExpiry(Bearer.credential(request.header("authorization")),
                conversationId));
    }

    private static TokenClaims claims(TokenCheck check) {
        if (check instanceof TokenCheck.Valid v) {
            return v.claims();
        }
        TokenProblem p = ((TokenCheck.Refused) check).problem();
        if (p.httpStatus() == 403) {
            return throwForbidden(p);
        }
        throw unauthorized(p.bearerError(), p.description()
                + (p == TokenProblem.MISSING ? ": Authorization: Bearer <widget token> is required" : ""));
    }

    private static TokenClaims throwForbidden(TokenProblem p) {
        throw new ApiProblem(403, "wrong-conversation", p.description()
                + "; mint one for this conversation through POST /v1/conversations/{id}/voice-tokens")
                .header("WWW-Authenticate", challenge(p.bearerError(), p.description()));
    }

    static ApiProblem unauthorized(String error, String detail) {
        return new ApiProblem(401, "unauthorized", detail).header("WWW-Authenticate", challenge(error, detail));
    }

    /** RFC 6750 §3: {@code Bearer realm="…"[, error="…", error_description="…"]}. */
    private static String challenge(String error, String description) {
        StringBuilder b = new StringBuilder("Bearer realm=\"").append(REALM).append('"');
        if (error != null) {
            b.append(", error=\"").append(error).append("\", error_description=\"")
                    .append(description.replace('"', '\'').replace('\\', '/')).append('"');
        }
        return b.toString();
    }
}
