package io.warmline.webrtc.stun;

/**
 * Attribute types this codec knows (RFC 8489 §18.3, RFC 8445 §16.1). Types below 0x8000 are comprehension-required:
 * a request carrying an unknown one is answered 420 (RFC 8489 §6.3.1.1).
 */
public final class StunAttribute {

    public static final int MAPPED_ADDRESS = 0x0001;
    public static final int USERNAME = 0x0006;
    public static final int MESSAGE_INTEGRITY = 0x0008;
    public static final int ERROR_CODE = 0x0009;
    public static final int UNKNOWN_ATTRIBUTES = 0x000A;
    public static final int REALM = 0x0014;
    public static final int NONCE = 0x0015;
    public static final int MESSAGE_INTEGRITY_SHA256 = 0x001C;
    public static final int USERHASH = 0x001E;
    public static final int XOR_MAPPED_ADDRESS = 0x0020;
    public static final int PRIORITY = 0x0024;
    public static final int USE_CANDIDATE = 0x0025;
    public static final int SOFTWARE = 0x8022;
    public static final int FINGERPRINT = 0x8028;
    public static final int ICE_CONTROLLED = 0x8029;
    public static final int ICE_CONTROLLING = 0x802A;

    private StunAttribute() {
    }

    /** RFC 8489 §14: 0x0000-0x7FFF must be understood by the receiver. */
    public static boolean isComprehensionRequired(int type) {
        return type < 0x8000;
    }
}
