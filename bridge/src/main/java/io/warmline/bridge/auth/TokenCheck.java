package io.warmline.bridge.auth;

import java.util.Objects;

/** The outcome of checking a widget token: its claims, or the problem that refuses it. */
public sealed interface TokenCheck {
    record Valid(TokenClaims claims) implements TokenCheck {
        public Valid {
            Objects.requireNonNull(claims, "claims");
        }
    }

    record Refused(TokenProblem problem) implements TokenCheck {
        public Refused {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
