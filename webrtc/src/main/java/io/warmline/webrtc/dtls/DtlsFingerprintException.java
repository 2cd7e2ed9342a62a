package io.warmline.webrtc.dtls;

/** An SDP {@code a=fingerprint} value that cannot be used: malformed, or with a hash function we refuse. */
public final class DtlsFingerprintException extends Exception {
    private static final long serialVersionUID = 1L;

    public DtlsFingerprintException(String message) {
        super(message);
    }

    /** Refusing an offer for this is a client error (HTTP 400 / SIP 488). */
    public int httpStatus() {
        return 400;
    }
}
