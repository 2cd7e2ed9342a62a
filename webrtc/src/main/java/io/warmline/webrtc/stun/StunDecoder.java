package io.warmline.webrtc.stun;

import io.netty.buffer.ByteBuf;
import io.warmline.webrtc.stun.internal.StunCrypto;
import io.warmline.webrtc.stun.internal.XorAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes one STUN message (RFC 8489 §5, §14) from a datagram or an RFC 4571 frame. Every length is checked before
 * it is used; input that is not a well-formed STUN message comes back as {@link StunParseResult.Malformed}, never as
 * an exception. Stateless and thread-safe.
 */
public final class StunDecoder {

    /** Larger than any binding request a browser sends (about 100-200 bytes) and than a 1280-byte IPv6 MTU. */
    public static final int MAX_MESSAGE_LENGTH = 1500;
    /** Bound on attributes per message, unknown ones included. */
    public static final int MAX_ATTRIBUTES = 32;
    /** RFC 8489 §14.3: USERNAME is fewer than 509 bytes. */
    public static final int MAX_USERNAME_BYTES = 508;
    /** RFC 8489 §14.8, §14.14: reason phrase and SOFTWARE are at most 763 bytes. */
    public static final int MAX_TEXT_BYTES = 763;

    private StunDecoder() {
    }

    /**
     * True when the readable bytes could be a STUN message: first two bits zero, the magic cookie, and a length that
     * matches (RFC 8489 §7.3, RFC 7983 §7). Does not move the reader index.
     */
    public static boolean looksLikeStun(ByteBuf buf) {
        int i = buf.readerIndex();
        int n = buf.readableBytes();
        return n >= StunMessage.HEADER_LENGTH && (buf.getByte(i) & 0xC0) == 0
                && buf.getInt(i + 4) == StunMessage.MAGIC_COOKIE
                && buf.getUnsignedShort(i + 2) + StunMessage.HEADER_LENGTH == n;
    }

    /** Decodes the readable bytes of {@code buf} without moving its indices or taking ownership. */
    public static StunParseResult decode(ByteBuf buf) {
        int n = buf.readableBytes();
        if (n > MAX_MESSAGE_LENGTH) {
            return malformed(StunMalformation.TOO_LONG);
        }
        byte[] copy = new byte[n];
        buf.getBytes(buf.readerIndex(), copy);
        return decodeOwned(copy);
    }

    /** Decodes {@code data[offset..offset+length)}; the bytes are copied. */
    public static StunParseResult decode(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " of " + data.length);
        }
        if (length > MAX_MESSAGE_LENGTH) {
            return malformed(StunMalformation.TOO_LONG);
        }
        return decodeOwned(Arrays.copyOfRange(data, offset, offset + length));
    }

    private static StunParseResult decodeOwned(byte[] m) {
        int n = m.length;
        if (n < StunMessage.HEADER_LENGTH) {
            return malformed(StunMalformation.TOO_SHORT);
        }
        if ((m[0] & 0xC0) != 0 || int32(m, 4) != StunMessage.MAGIC_COOKIE) {
            return malformed(StunMalformation.NOT_STUN);
        }
        int bodyLength = uint16(m, 2);
        if ((bodyLength & 3) != 0 || bodyLength + StunMessage.HEADER_LENGTH != n) {
            return malformed(StunMalformation.BAD_LENGTH);
        }
        StunMessage.Fields f = new StunMessage.Fields();
        f.raw = m;
        f.messageType = uint16(m, 0);
        int[] unknown = new int[MAX_ATTRIBUTES];
        int unknownCount = 0;
        boolean afterIntegrity = false;
        boolean seenUsername = false;
        boolean seenPriority = false;
        boolean seenXor = false;
        boolean seenError = false;
        boolean seenUnknownList = false;
        boolean seenSoftware = false;
        int count = 0;
        int pos = StunMessage.HEADER_LENGTH;
        while (pos < n) {
            if (f.hasFingerprint) {
                return malformed(StunMalformation.ATTRIBUTE_AFTER_FINGERPRINT);
            }
            if (++count > MAX_ATTRIBUTES) {
                return malformed(StunMalformation.TOO_MANY_ATTRIBUTES);
            }
            if (n - pos < 4) {
                return malformed(StunMalformation.ATTRIBUTE_OVERRUN);
            }
            int type = uint16(m, pos);
            int len = uint16(m, pos + 2);
            int v = pos + 4;
            int padded = (len + 3) & ~3;
            if (padded > n - v) {
                return malformed(StunMalformation.ATTRIBUTE_OVERRUN);
            }
            int next = v + padded;
            if (type == StunAttribute.FINGERPRINT) {
                if (len != 4) {
                    return bad(type);
                }
                f.hasFingerprint = true;
                f.fingerprintValid = StunCrypto.fingerprint(m, pos, next - StunMessage.HEADER_LENGTH) == int32(m, v);
            } else if (type == StunAttribute.MESSAGE_INTEGRITY_SHA256) {
                // §14.6: 16 to 32 bytes, a multiple of 4.
                if (len < 16 || len > 32 || (len & 3) != 0) {
                    return bad(type);
                }
                if (f.integritySha256Offset < 0) {
                    f.integritySha256Offset = pos;
                    f.integritySha256Length = len;
                }
                afterIntegrity = true;
            } else if (afterIntegrity) {
                // §14.5: anything else after MESSAGE-INTEGRITY is ignored.
                if (type == StunAttribute.MESSAGE_INTEGRITY && len != 20) {
                    return bad(type);
                }
            } else {
                switch (type) {
                    case StunAttribute.MESSAGE_INTEGRITY -> {
                        if (len != 20) {
                            return bad(type);
                        }
                        f.integrityOffset = pos;
                        afterIntegrity = true;
                    }
                    case StunAttribute.USERNAME -> {
                        if (len > MAX_USERNAME_BYTES) {
                            return bad(type);
                        }
                        String s = utf8(m, v, len);
                        if (s == null) {
                            return bad(type);
                        }
                        if (!seenUsername) {
                            f.username = s;
                            seenUsername = true;
                        }
                    }
                    case StunAttribute.SOFTWARE -> {
                        if (len > MAX_TEXT_BYTES) {
                            return bad(type);
                        }
                        String s = utf8(m, v, len);
                        if (s == null) {
                            return bad(type);
                        }
                        if (!seenSoftware) {
                            f.software = s;
                            seenSoftware = true;
                        }
                    }
                    case StunAttribute.PRIORITY -> {
                        if (len != 4) {
                            return bad(type);
                        }
                        if (!seenPriority) {
                            f.priority = int32(m, v) & 0xFFFFFFFFL;
                            seenPriority = true;
                        }
                    }
                    case StunAttribute.USE_CANDIDATE -> {
                        if (len != 0) {
                            return bad(type);
                        }
                        f.useCandidate = true;
                    }
                    case StunAttribute.ICE_CONTROLLING -> {
                        if (len != 8) {
                            return bad(type);
                        }
                        if (!f.hasIceControlling) {
                            f.hasIceControlling = true;
                            f.iceControlling = int64(m, v);
                        }
                    }
                    case StunAttribute.ICE_CONTROLLED -> {
                        if (len != 8) {
                            return bad(type);
                        }
                        if (!f.hasIceControlled) {
                            f.hasIceControlled = true;
                            f.iceControlled = int64(m, v);
                        }
                    }
                    case StunAttribute.XOR_MAPPED_ADDRESS -> {
                        if (len < 4) {
                            return bad(type);
                        }
                        var address = XorAddress.decode(m, v, len);
                        if (address == null) {
                            return bad(type);
                        }
                        if (!seenXor) {
                            f.xorMappedAddress = address;
                            seenXor = true;
                        }
                    }
                    case StunAttribute.ERROR_CODE -> {
                        // §14.8: 21 reserved bits, class 3..6, number 0..99, then the reason phrase.
                        if (len < 4 || len > 4 + MAX_TEXT_BYTES) {
                            return bad(type);
                        }
                        int cls = m[v + 2] & 0x07;
                        int number = m[v + 3] & 0xFF;
                        String reason = utf8(m, v + 4, len - 4);
                        if (cls < 3 || cls > 6 || number > 99 || reason == null) {
                            return bad(type);
                        }
                        if (!seenError) {
                            f.errorCode = cls * 100 + number;
                            f.errorReason = reason;
                            seenError = true;
                        }
                    }
                    case StunAttribute.UNKNOWN_ATTRIBUTES -> {
                        if ((len & 1) != 0) {
                            return bad(type);
                        }
                        if (!seenUnknownList) {
                            int[] types = new int[len / 2];
                            for (int i = 0; i < types.length; i++) {
                                types[i] = uint16(m, v + 2 * i);
                            }
                            f.unknownAttributes = types;
                            seenUnknownList = true;
                        }
                    }
                    case StunAttribute.MAPPED_ADDRESS, StunAttribute.REALM, StunAttribute.NONCE,
                            StunAttribute.USERHASH -> {
                        // Understood (long-term credentials, RFC 3489 responses) but of no use to ICE.
                    }
                    default -> {
                        if (StunAttribute.isComprehensionRequired(type)) {
                            unknown[unknownCount++] = type;
                        }
                    }
                }
            }
            pos = next;
        }
        f.unknownComprehensionRequired = Arrays.copyOf(unknown, unknownCount);
        return new StunParseResult.Parsed(new StunMessage(f));
    }

    private static String utf8(byte[] m, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(m, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static StunParseResult malformed(StunMalformation reason) {
        return new StunParseResult.Malformed(reason, -1);
    }

    private static StunParseResult bad(int type) {
        return new StunParseResult.Malformed(StunMalformation.BAD_ATTRIBUTE, type);
    }

    static int uint16(byte[] m, int i) {
        return ((m[i] & 0xFF) << 8) | (m[i + 1] & 0xFF);
    }

    static int int32(byte[] m, int i) {
        return (uint16(m, i) << 16) | uint16(m, i + 2);
    }

    static long int64(byte[] m, int i) {
        return ((long) int32(m, i) << 32) | (int32(m, i + 4) & 0xFFFFFFFFL);
    }
}
