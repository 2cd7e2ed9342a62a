package io.warmline.webrtc;

/** A trickled candidate (RFC 8840 fragment or {@code a=candidate} line) that cannot be read. Maps to HTTP 400. */
public final class BadCandidateException extends Exception {

    private static final long serialVersionUID = 1L;

    public BadCandidateException(String detail) {
        super(detail);
    }

    public int httpStatus() {
        return 400;
    }
}
