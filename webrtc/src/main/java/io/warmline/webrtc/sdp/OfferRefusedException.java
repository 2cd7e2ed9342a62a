package io.warmline.webrtc.sdp;

import java.util.Objects;

/** A WebRTC offer that cannot be answered: a typed {@link RefusalReason} and a detail safe to show the caller. */
public final class OfferRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final RefusalReason reason;

    public OfferRefusedException(RefusalReason reason, String detail) {
        super(reason.code() + ": " + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RefusalReason reason() {
        return reason;
    }

    /** The HTTP status to answer with (400 or 422). */
    public int httpStatus() {
        return reason.httpStatus();
    }

    /** Retrying the same offer cannot help. */
    public boolean retryable() {
        return false;
    }
}
