package io.warmline.sip;

/** The SIP stack could not start (bad listening point, port in use, unsupported transport). */
public final class SipStartException extends Exception {
    private static final long serialVersionUID = 1L;

    public SipStartException(String message) {
        super(message);
    }

    public SipStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
