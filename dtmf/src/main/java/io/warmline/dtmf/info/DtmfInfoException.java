package io.warmline.dtmf.info;

/**
 * A SIP INFO DTMF body that could not be accepted. It classifies itself: the final response the INFO gets
 * (415 for a content type that is not DTMF, 400 otherwise, RFC 6086 §4.2.2) and whether resending it can help (never:
 * the same body fails the same way).
 */
public final class DtmfInfoException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        UNSUPPORTED_TYPE(415),
        TOO_LONG(400),
        NOT_ASCII(400),
        SYNTAX(400),
        UNKNOWN_KEY(400),
        DUPLICATE_KEY(400),
        MISSING_SIGNAL(400),
        BAD_SIGNAL(400),
        BAD_DURATION(400);

        private final int sipStatus;

        Reason(int sipStatus) {
            this.sipStatus = sipStatus;
        }

        public int sipStatus() {
            return sipStatus;
        }
    }

    private final Reason reason;
    private final int offset;

    public DtmfInfoException(Reason reason, int offset, String message) {
        super(message + " (at byte " + offset + ")");
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** Byte offset in the body where the problem was found. */
    public int offset() {
        return offset;
    }

    /** The SIP final response for the INFO that carried the body. */
    public int sipStatus() {
        return reason.sipStatus();
    }

    public boolean retryable() {
        return false;
    }
}
