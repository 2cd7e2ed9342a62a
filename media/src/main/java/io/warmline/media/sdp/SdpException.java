package io.warmline.media.sdp;

/**
 * A session description that is malformed (RFC 8866 syntax, or beyond our bounds) or that breaks the offer/answer
 * rules of RFC 3264. Says which line, when the problem is on one, and what was wrong.
 */
public final class SdpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int line;

    /** @param line 1-based line number, or 0 when the problem is not on one line */
    public SdpException(int line, String message) {
        super(line > 0 ? "SDP line " + line + ": " + message : "SDP: " + message);
        this.line = line;
    }

    /** 1-based line number of the offending line, or 0 when the problem concerns the description as a whole. */
    public int line() {
        return line;
    }

    /**
     * The SIP final response to a request whose body this is: 400 for a body that cannot be parsed, 488 (Not
     * Acceptable Here) for one that parses but cannot be used (RFC 3261 §21.4.26).
     */
    public int sipStatus() {
        return line > 0 ? 400 : 488;
    }
}
