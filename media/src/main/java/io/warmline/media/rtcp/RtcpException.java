package io.warmline.media.rtcp;

/** A malformed RTCP compound packet (RFC 3550 §6, Appendix A.2). The receiver counts it and drops the packet. */
public final class RtcpException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;

    public RtcpException(String message, int offset) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset, relative to the start of the compound packet, where the problem was found. */
    public int offset() {
        return offset;
    }
}
