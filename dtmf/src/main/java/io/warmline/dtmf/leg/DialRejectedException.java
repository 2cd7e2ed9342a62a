package io.warmline.dtmf.leg;

import java.util.Objects;

/**
 * A request to press keys that was refused before any key went out. It classifies itself: the HTTP status the agent
 * API answers with and whether trying again later can help.
 */
public final class DialRejectedException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The text is not a valid sequence (the message names the position). */
        BAD_SEQUENCE(400, false),
        /** More characters or keys than {@link DialLimits} allows in one request. */
        TOO_LONG(400, false),
        /** The leg's key rate is used up for now. */
        RATE_LIMITED(429, true),
        /** Too many requests already queued on the leg. */
        QUEUE_FULL(429, true),
        /** The leg has ended. */
        LEG_ENDED(409, false),
        /** The leg's mode cannot send (rfc4733 configured but not negotiated, or info without a SIP sender). */
        MODE_UNAVAILABLE(409, false);

        private final int httpStatus;
        private final boolean retryable;

        Reason(int httpStatus, boolean retryable) {
            this.httpStatus = httpStatus;
            this.retryable = retryable;
        }
    }

    private final Reason reason;
    private final long retryAfterMillis;

    public DialRejectedException(Reason reason, String message) {
        this(reason, message, 0);
    }

    /** @param retryAfterMillis when a retryable request may succeed, from now; 0 if unknown */
    public DialRejectedException(Reason reason, String message, long retryAfterMillis) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfterMillis = Math.max(0, retryAfterMillis);
    }

    public DialRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.retryAfterMillis = 0;
    }

    public Reason reason() {
        return reason;
    }

    public int httpStatus() {
        return reason.httpStatus;
    }

    public boolean retryable() {
        return reason.retryable;
    }

    /** For {@code RATE_LIMITED}: how long until the keys asked for are available (0 if unknown). */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
