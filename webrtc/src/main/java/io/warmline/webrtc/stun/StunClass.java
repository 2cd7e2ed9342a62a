package io.warmline.webrtc.stun;

/** The class of a STUN message, encoded in bits C1 and C0 of the message type (RFC 8489 §5). */
public enum StunClass {
    REQUEST,
    INDICATION,
    SUCCESS_RESPONSE,
    ERROR_RESPONSE;

    /** The class of a 14-bit message type. */
    public static StunClass of(int messageType) {
        int c = ((messageType >> 7) & 0x2) | ((messageType >> 4) & 0x1);
        return values()[c];
    }

    /** Combines a 12-bit method with this class into a message type (RFC 8489 §5, figure 3). */
    public int messageType(int method) {
        int c = ordinal();
        return (method & 0xF) | ((c & 0x1) << 4) | ((method & 0x70) << 1) | ((c & 0x2) << 7) | ((method & 0xF80) << 2);
    }
}
