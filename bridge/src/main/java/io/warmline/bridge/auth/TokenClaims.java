package io.warmline.bridge.auth;

import java.time.Instant;
import java.util.Objects;

/** What a verified widget token says: the conversation it is bound to, when it stops being valid, its unique id. */
public record TokenClaims(String conversationId, Instant expiresAt, String tokenId) {
    public TokenClaims {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(tokenId, "tokenId");
    }
}
