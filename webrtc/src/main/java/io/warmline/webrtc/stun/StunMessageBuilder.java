package io.warmline.webrtc.stun;

import io.warmline.webrtc.stun.internal.StunCrypto;
import io.warmline.webrtc.stun.internal.XorAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Builds one STUN message (RFC 8489 §5, §14) attribute by attribute, in call order. {@link #messageIntegrity} and
 * {@link #fingerprint} cover everything added before them, so they come last, in that order. Not thread-safe; one
 * builder per message.
 *
 * <pre>{@code
 * byte[] reply = new StunMessageBuilder(StunMessage.BINDING_SUCCESS, request.transactionId())
 *         .xorMappedAddress(source).messageIntegrity(key).fingerprint().build();
 * }</pre>
 */
public final class StunMessageBuilder {

    private final byte[] buf = new byte[StunDecoder.MAX_MESSAGE_LENGTH];
    private int pos = StunMessage.HEADER_LENGTH;
    private byte padding;
    private boolean integrityAdded;
    private boolean fingerprintAdded;

    /** A message of {@code messageType} (see the constants in {@link StunMessage}) with a 12-byte transaction ID. */
    public StunMessageBuilder(int messageType, byte[] transactionId) {
        if ((messageType & ~0x3FFF) != 0) {
            throw new IllegalArgumentException("message type is 14 bits: 0x" + Integer.toHexString(messageType));
        }
        if (transactionId.length != StunMessage.TRANSACTION_ID_LENGTH) {
            throw new IllegalArgumentException("transaction ID is 12 bytes, got " + transactionId.length);
        }
        buf[0] = (byte) (messageType >>> 8);
        buf[1] = (byte) messageType;
        putInt(4, StunMessage.MAGIC_COOKIE);
        System.arraycopy(transactionId, 0, buf, 8, StunMessage.TRANSACTION_ID_LENGTH);
    }

    /** The value of padding bytes written after this call (RFC 8489 §14: any value; RFC 5769's vectors use spaces). */
    public StunMessageBuilder padding(byte value) {
        this.padding = value;
        return this;
    }

    public StunMessageBuilder software(String software) {
        return text(StunAttribute.SOFTWARE, software, StunDecoder.MAX_TEXT_BYTES);
    }

    public StunMessageBuilder username(String username) {
        return text(StunAttribute.USERNAME, username, StunDecoder.MAX_USERNAME_BYTES);
    }

    /** PRIORITY (RFC 8445 §7.1.1), an unsigned 32-bit value. */
    public StunMessageBuilder priority(long priority) {
        if (priority < 0 || priority > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("priority is 32 bits unsigned: " + priority);
        }
        int v = begin(StunAttribute.PRIORITY, 4);
        putInt(v, (int) priority);
        return this;
    }

    public StunMessageBuilder useCandidate() {
        begin(StunAttribute.USE_CANDIDATE, 0);
        return this;
    }

    public StunMessageBuilder iceControlling(long tiebreaker) {
        int v = begin(StunAttribute.ICE_CONTROLLING, 8);
        putLong(v, tiebreaker);
        return this;
    }

    public StunMessageBuilder iceControlled(long tiebreaker) {
        int v = begin(StunAttribute.ICE_CONTROLLED, 8);
        putLong(v, tiebreaker);
        return this;
    }

    public StunMessageBuilder xorMappedAddress(InetSocketAddress address) {
        Objects.requireNonNull(address.getAddress(), "a resolved address");
        int v = begin(StunAttribute.XOR_MAPPED_ADDRESS, XorAddress.length(address));
        XorAddress.encode(address, buf, buf, v);
        return this;
    }

    /** ERROR-CODE (RFC 8489 §14.8) with a code in 300..699 and a reason phrase. */
    public StunMessageBuilder errorCode(int code, String reason) {
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error code out of 300..699: " + code);
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        if (text.length > StunDecoder.MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("reason phrase longer than 763 bytes");
        }
        int v = begin(StunAttribute.ERROR_CODE, 4 + text.length);
        buf[v + 2] = (byte) (code / 100);
        buf[v + 3] = (byte) (code % 100);
        System.arraycopy(text, 0, buf, v + 4, text.length);
        return this;
    }

    /** UNKNOWN-ATTRIBUTES (RFC 8489 §14.9), for a 420 response. */
    public StunMessageBuilder unknownAttributes(int... types) {
        int v = begin(StunAttribute.UNKNOWN_ATTRIBUTES, 2 * types.length);
        for (int i = 0; i < types.length; i++) {
            buf[v + 2 * i] = (byte) (types[i] >>> 8);
            buf[v + 2 * i + 1] = (byte) types[i];
        }
        return this;
    }

    /** Any other attribute, its value given raw. */
    public StunMessageBuilder attribute(int type, byte[] value) {
        int v = begin(type, value.length);
        System.arraycopy(value, 0, buf, v, value.length);
        return this;
    }

    /** MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) over what was added so far, keyed with {@code key}. */
    public StunMessageBuilder messageIntegrity(byte[] key) {
        if (integrityAdded) {
            throw new IllegalStateException("MESSAGE-INTEGRITY already added");
        }
        int start = pos;
        int v = begin(StunAttribute.MESSAGE_INTEGRITY, 20);
        byte[] mac = StunCrypto.hmac(false, key, buf, start, v + 20 - StunMessage.HEADER_LENGTH);
        System.arraycopy(mac, 0, buf, v, 20);
        integrityAdded = true;
        return this;
    }

    /** MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), the full 32 bytes, over what was added so far. */
    public StunMessageBuilder messageIntegritySha256(byte[] key) {
        int start = pos;
        int v = begin(StunAttribute.MESSAGE_INTEGRITY_SHA256, 32);
        byte[] mac = StunCrypto.hmac(true, key, buf, start, v + 32 - StunMessage.HEADER_LENGTH);
        System.arraycopy(mac, 0, buf, v, 32);
        return this;
    }

    /** FINGERPRINT (RFC 8489 §14.7); nothing may follow it. */
    public StunMessageBuilder fingerprint() {
        int start = pos;
        int v = begin(StunAttribute.FINGERPRINT, 4);
        putInt(v, StunCrypto.fingerprint(buf, start, v + 4 - StunMessage.HEADER_LENGTH));
        fingerprintAdded = true;
        return this;
    }

    /** The encoded message. The builder may be used again to build the same bytes. */
    public byte[] build() {
        writeLength(pos - StunMessage.HEADER_LENGTH);
        return Arrays.copyOf(buf, pos);
    }

    private StunMessageBuilder text(int type, String value, int maxBytes) {
        byte[] text = value.getBytes(StandardCharsets.UTF_8);
        if (text.length > maxBytes) {
            throw new IllegalArgumentException("attribute 0x" + Integer.toHexString(type) + " longer than " + maxBytes);
        }
        return attribute(type, text);
    }

    /** Writes the attribute header and padding, returns the value offset. */
    private int begin(int type, int length) {
        if (fingerprintAdded) {
            throw new IllegalStateException("FINGERPRINT must be the last attribute");
        }
        int padded = (length + 3) & ~3;
        if (length > 0xFFFF || buf.length - pos < 4 + padded) {
            throw new IllegalStateException("STUN message longer than " + buf.length + " bytes");
        }
        buf[pos] = (byte) (type >>> 8);
        buf[pos + 1] = (byte) type;
        buf[pos + 2] = (byte) (length >>> 8);
        buf[pos + 3] = (byte) length;
        int v = pos + 4;
        Arrays.fill(buf, v, v + length, (byte) 0);
        Arrays.fill(buf, v + length, v + padded, padding);
        pos = v + padded;
        // The checksums read the header's length field as covering everything written so far.
        writeLength(pos - StunMessage.HEADER_LENGTH);
        return v;
    }

    private void writeLength(int length) {
        buf[2] = (byte) (length >>> 8);
        buf[3] = (byte) length;
    }

    private void putInt(int i, int value) {
        buf[i] = (byte) (value >>> 24);
        buf[i + 1] = (byte) (value >>> 16);
        buf[i + 2] = (byte) (value >>> 8);
        buf[i + 3] = (byte) value;
    }

    private void putLong(int i, long value) {
        putInt(i, (int) (value >>> 32));
        putInt(i + 4, (int) value);
    }
}
