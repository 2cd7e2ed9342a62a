package io.warmline.webrtc.internal;

import io.netty.buffer.ByteBuf;

/**
 * Reads the client-to-mixer audio level (RFC 6464 §3) from an RTP header extension in either the one-byte or the
 * two-byte form (RFC 8285 §4.2, §4.3). Bounded by the packet: a malformed extension yields "absent".
 */
public final class AudioLevelExtension {

    /** No audio level in the packet. */
    public static final int ABSENT = -1;

    private AudioLevelExtension() {
    }

    /**
     * The level of the readable RTP packet (without moving its indices), as RFC 6464 encodes it: bits 0-6 are the level
     * in -dBov (0 loudest, 127 silence), bit 7 is the voice-activity flag. {@link #ABSENT} when the packet has no
     * element with {@code id}.
     */
    public static int read(ByteBuf rtp, int id) {
        if (id < 1 || id > 255) {
            return ABSENT;
        }
        int base = rtp.readerIndex();
        int length = rtp.readableBytes();
        if (length < 12) {
            return ABSENT;
        }
        int first = rtp.getUnsignedByte(base);
        if ((first & 0x10) == 0) {
            return ABSENT;
        }
        int at = 12 + 4 * (first & 0x0F);
        if (at + 4 > length) {
            return ABSENT;
        }
        int profile = rtp.getUnsignedShort(base + at);
        int end = at + 4 + 4 * rtp.getUnsignedShort(base + at + 2);
        if (end > length) {
            return ABSENT;
        }
        int i = at + 4;
        if (profile == 0xBEDE) {
            // RFC 8285 §4.2: ID (4 bits), L (4 bits, length - 1); ID 0 is padding, ID 15 ends the list.
            while (i < end) {
                int b = rtp.getUnsignedByte(base + i);
                int elementId = b >> 4;
                if (elementId == 0) {
                    i++;
                    continue;
                }
                if (elementId == 15) {
                    return ABSENT;
                }
                int elementLength = (b & 0x0F) + 1;
                if (i + 1 + elementLength > end) {
                    return ABSENT;
                }
                if (elementId == id) {
                    return rtp.getUnsignedByte(base + i + 1);
                }
                i += 1 + elementLength;
            }
        } else if ((profile & 0xFFF0) == 0x1000) {
            // RFC 8285 §4.3: ID (8 bits), length (8 bits); ID 0 is padding.
            while (i < end) {
                int elementId = rtp.getUnsignedByte(base + i);
                if (elementId == 0) {
                    i++;
                    continue;
                }
                if (i + 2 > end) {
                    return ABSENT;
                }
                int elementLength = rtp.getUnsignedByte(base + i + 1);
                if (i + 2 + elementLength > end) {
                    return ABSENT;
                }
                if (elementId == id && elementLength >= 1) {
                    return rtp.getUnsignedByte(base + i + 2);
                }
                i += 2 + elementLength;
            }
        }
        return ABSENT;
    }
}
