package io.warmline.bridge.auth;

import java.util.Objects;

/** A freshly minted widget token and what it says. {@link #toString()} leaves the token out. */
public record IssuedToken(String token, TokenClaims claims) {
    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(claims, "claims");
    }

    @Override
    public String toString() {
        return "IssuedToken[" + claims + "]";
    }
}
