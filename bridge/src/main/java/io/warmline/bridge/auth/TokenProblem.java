package io.warmline.bridge.auth;

/** Why a widget token was refused, and the HTTP status that says so (RFC 6750 §3.1 for the 401/403 split). */
public enum TokenProblem {
    /** No {@code Authorization: Bearer} credential at all. */
    MISSING(401, "no bearer token"),
    /** Not a token this node issues (wrong shape, prefix, encoding or length). */
    MALFORMED(401, "malformed token"),
    /** Well formed but not signed by this node (tampered, or signed with another node's or an earlier secret). */
    BAD_SIGNATURE(401, "token signature does not verify"),
    EXPIRED(401, "token expired"),
    /** A genuine, live token for a different conversation: authenticated, but not allowed here. */
    WRONG_CONVERSATION(403, "token is for another conversation");

    private final int httpStatus;
    private final String description;

    TokenProblem(int httpStatus, String description) {
        this.httpStatus = httpStatus;
        this.description = description;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String description() {
        return description;
    }

    /** The RFC 6750 §3.1 error code for the WWW-Authenticate header. */
    public String bearerError() {
        return switch (this) {
            case MISSING -> null;
            case WRONG_CONVERSATION -> "insufficient_scope";
            default -> "invalid_token";
        };
    }
}
