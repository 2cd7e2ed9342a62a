package io.warmline.webrtc.stun;

import io.warmline.webrtc.stun.internal.StunCrypto;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A decoded STUN message (RFC 8489): the header, the attributes this codec knows as typed values, and enough of the
 * raw bytes to check MESSAGE-INTEGRITY later, once the caller has picked the key from USERNAME. Immutable. Made by
 * {@link StunDecoder}; built for sending with {@link StunMessageBuilder}.
 *
 * <p>Only the first occurrence of an attribute counts (RFC 8489 §14); attributes after MESSAGE-INTEGRITY other than
 * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are ignored (§14.5).
 */
public final class StunMessage {

    /** RFC 8489 §5. */
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    public static final int TRANSACTION_ID_LENGTH = 12;
    public static final int METHOD_BINDING = 0x001;
    public static final int BINDING_REQUEST = StunClass.REQUEST.messageType(METHOD_BINDING);
    public static final int BINDING_INDICATION = StunClass.INDICATION.messageType(METHOD_BINDING);
    public static final int BINDING_SUCCESS = StunClass.SUCCESS_RESPONSE.messageType(METHOD_BINDING);
    public static final int BINDING_ERROR = StunClass.ERROR_RESPONSE.messageType(METHOD_BINDING);

    private final byte[] raw;
    private final int messageType;
    private final String username;
    private final String software;
    private final long priority;
    private final boolean useCandidate;
    private final boolean hasIceControlling;
    private final long iceControlling;
    private final boolean hasIceControlled;
    private final long iceControlled;
    private final InetSocketAddress xorMappedAddress;
    private final int errorCode;
    private final String errorReason;
    private final int[] unknownAttributes;
    private final int[] unknownComprehensionRequired;
    private final int integrityOffset;
    private final int integritySha256Offset;
    private final int integritySha256Length;
    private final boolean hasFingerprint;
    private final boolean fingerprintValid;

    StunMessage(Fields f) {
        this.raw = f.raw;
        this.messageType = f.messageType;
        this.username = f.username;
        this.software = f.software;
        this.priority = f.priority;
        this.useCandidate = f.useCandidate;
        this.hasIceControlling = f.hasIceControlling;
        this.iceControlling = f.iceControlling;
        this.hasIceControlled = f.hasIceControlled;
        this.iceControlled = f.iceControlled;
        this.xorMappedAddress = f.xorMappedAddress;
        this.errorCode = f.errorCode;
        this.errorReason = f.errorReason;
        this.unknownAttributes = f.unknownAttributes;
        this.unknownComprehensionRequired = f.unknownComprehensionRequired;
        this.integrityOffset = f.integrityOffset;
        this.integritySha256Offset = f.integritySha256Offset;
        this.integritySha256Length = f.integritySha256Length;
        this.hasFingerprint = f.hasFingerprint;
        this.fingerprintValid = f.fingerprintValid;
    }

    /** The 14-bit message type (method and class). */
    public int messageType() {
        return messageType;
    }

    public int method() {
        return (messageType & 0xF) | ((messageType >> 1) & 0x70) | ((messageType >> 2) & 0xF80);
    }

    public StunClass messageClass() {
        return StunClass.of(messageType);
    }

    /** A copy of the 96-bit transaction ID. */
    public byte[] transactionId() {
        return Arrays.copyOfRange(raw, 8, HEADER_LENGTH);
    }

    /** Total length in bytes, header included. */
    public int length() {
        return raw.length;
    }

    /** USERNAME, or null. */
    public String username() {
        return username;
    }

    /** SOFTWARE, or null. */
    public String software() {
        return software;
    }

    /** PRIORITY (unsigned 32 bits), or -1 when absent. */
    public long priority() {
        return priority;
    }

    public boolean useCandidate() {
        return useCandidate;
    }

    public boolean hasIceControlling() {
        return hasIceControlling;
    }

    /** The ICE-CONTROLLING tiebreaker (an unsigned 64-bit value held in a long). */
    public long iceControlling() {
        return iceControlling;
    }

    public boolean hasIceControlled() {
        return hasIceControlled;
    }

    /** The ICE-CONTROLLED tiebreaker (an unsigned 64-bit value held in a long). */
    public long iceControlled() {
        return iceControlled;
    }

    /** XOR-MAPPED-ADDRESS, decoded, or null. */
    public InetSocketAddress xorMappedAddress() {
        return xorMappedAddress;
    }

    /** ERROR-CODE as class * 100 + number, or -1 when absent. */
    public int errorCode() {
        return errorCode;
    }

    /** The ERROR-CODE reason phrase, or null. */
    public String errorReason() {
        return errorReason;
    }

    /** The types listed in an UNKNOWN-ATTRIBUTES attribute (empty when absent). */
    public int[] unknownAttributes() {
        return unknownAttributes.clone();
    }

    /** Comprehension-required attribute types this codec does not know (RFC 8489 §6.3.1.1: answer 420 to a request). */
    public int[] unknownComprehensionRequired() {
        return unknownComprehensionRequired.clone();
    }

    /** MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 present. */
    public boolean hasIntegrity() {
        return integrityOffset >= 0 || integritySha256Offset >= 0;
    }

    public boolean hasFingerprint() {
        return hasFingerprint;
    }

    /** FINGERPRINT present and equal to the CRC-32 of the message (RFC 8489 §14.7). */
    public boolean fingerprintValid() {
        return fingerprintValid;
    }

    /**
     * Checks every integrity attribute present against {@code key} (RFC 8489 §9.1.3 for short-term credentials, where
     * the key is the OpaqueString of the password; §9.2.2 for long-term ones). False when none is present. Constant time
     * in the compared bytes.
     */
    public boolean integrityMatches(byte[] key) {
        if (!hasIntegrity()) {
            return false;
        }
        boolean ok = true;
        if (integrityOffset >= 0) {
            byte[] mac = StunCrypto.hmac(false, key, raw, integrityOffset, integrityOffset + 24 - HEADER_LENGTH);
            ok &= StunCrypto.equalsPrefix(mac, raw, integrityOffset + 4, 20);
        }
        if (integritySha256Offset >= 0) {
            int end = integritySha256Offset + 4 + integritySha256Length;
            byte[] mac = StunCrypto.hmac(true, key, raw, integritySha256Offset, end - HEADER_LENGTH);
            ok &= StunCrypto.equalsPrefix(mac, raw, integritySha256Offset + 4, integritySha256Length);
        }
        return ok;
    }

    @Override
    public String toString() {
        return "StunMessage{type=0x" + Integer.toHexString(messageType) + ", length=" + raw.length
                + (username != null ? ", username=" + username : "") + (errorCode >= 0 ? ", error=" + errorCode : "")
                + "}";
    }

    /** Mutable carrier filled by the decoder. */
    static final class Fields {
        byte[] raw;
        int messageType;
        String username;
        String software;
        long priority = -1;
        boolean useCandidate;
        boolean hasIceControlling;
        long iceControlling;
        boolean hasIceControlled;
        long iceControlled;
        InetSocketAddress xorMappedAddress;
        int errorCode = -1;
        String errorReason;
        int[] unknownAttributes = new int[0];
        int[] unknownComprehensionRequired = new int[0];
        int integrityOffset = -1;
        int integritySha256Offset = -1;
        int integritySha256Length;
        boolean hasFingerprint;
        boolean fingerprintValid;
    }
}
