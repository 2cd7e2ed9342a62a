package io.warmline.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Allocation-free accessors over an RTP packet (RFC 3550 §5.1) that starts at a buffer's {@code readerIndex} and
 * ends at its {@code writerIndex}. Nothing here moves the indices or changes the reference count.
 *
 * <p>Only {@link #isValid(ByteBuf)} checks lengths; every other accessor assumes the packet was validated first.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 * |            contributing source (CSRC) identifiers  (0..15)    |
 * |   defined by profile          |        length (32-bit words)  |  (extension, if X)
 * </pre>
 */
public final class RtpHeader {

    /** Fixed header length (RFC 3550 §5.1). */
    public static final int FIXED_HEADER_LENGTH = 12;

    /**
     * Largest packet accepted: one Ethernet MTU of UDP payload. Telephony audio is far smaller (G.711 at 20 ms is 172
     * bytes); anything larger is not a packet this server produces or expects, and a datagram truncated by the
     * receive buffer shows up above this bound.
     */
    public static final int MAX_PACKET_LENGTH = 1500;

    private RtpHeader() {
    }

    /**
     * RFC 3550 §5.1 and A.1 structural checks: length in [12, {@link #MAX_PACKET_LENGTH}], version 2, the CSRC list
     * and header extension inside the packet, a padding count of at least 1 that leaves the header intact, and a
     * payload type that is not RTCP SR/RR (72–76 with the marker folded in; RFC 3550 A.1, RFC 5761 §4).
     */
    public static boolean isValid(ByteBuf buf) {
        int length = buf.readableBytes();
        if (length < FIXED_HEADER_LENGTH || length > MAX_PACKET_LENGTH) {
            return false;
        }
        int base = buf.readerIndex();
        int b0 = buf.getUnsignedByte(base);
        if ((b0 >>> 6) != 2) {
            return false;
        }
        int pt = buf.getUnsignedByte(base + 1) & 0x7F;
        if (pt >= 72 && pt <= 76) {
            return false;
        }
        int header = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            if (header + 4 > length) {
                return false;
            }
            header += 4 + 4 * buf.getUnsignedShort(base + header + 2);
        }
        if (header > length) {
            return false;
        }
        if ((b0 & 0x20) != 0) {
            int padding = buf.getUnsignedByte(base + length - 1);
            return padding >= 1 && header + padding <= length;
        }
        return true;
    }

    public static int version(ByteBuf buf) {
        return buf.getUnsignedByte(buf.readerIndex()) >>> 6;
    }

    public static boolean hasPadding(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex()) & 0x20) != 0;
    }

    public static boolean hasExtension(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex()) & 0x10) != 0;
    }

    public static int csrcCount(ByteBuf buf) {
        return buf.getByte(buf.readerIndex()) & 0x0F;
    }

    public static boolean marker(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex() + 1) & 0x80) != 0;
    }

    public static int payloadType(ByteBuf buf) {
        return buf.getByte(buf.readerIndex() + 1) & 0x7F;
    }

    public static int sequence(ByteBuf buf) {
        return buf.getUnsignedShort(buf.readerIndex() + 2);
    }

    public static long timestamp(ByteBuf buf) {
        return buf.getUnsignedInt(buf.readerIndex() + 4);
    }

    public static long ssrc(ByteBuf buf) {
        return buf.getUnsignedInt(buf.readerIndex() + 8);
    }

    /** Fixed header, CSRC list and header extension (RFC 3550 §5.3.1). */
    public static int headerLength(ByteBuf buf) {
        int base = buf.readerIndex();
        int b0 = buf.getByte(base);
        int header = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
        if ((b0 & 0x10) != 0) {
            header += 4 + 4 * buf.getUnsignedShort(base + header + 2);
        }
        return header;
    }

    /** Padding bytes at the end, including the count octet itself (RFC 3550 §5.1, P bit). */
    public static int paddingLength(ByteBuf buf) {
        return hasPadding(buf) ? buf.getUnsignedByte(buf.writerIndex() - 1) : 0;
    }

    /** Absolute index of the first payload byte. */
    public static int payloadOffset(ByteBuf buf) {
        return buf.readerIndex() + headerLength(buf);
    }

    public static int payloadLength(ByteBuf buf) {
        return buf.readableBytes() - headerLength(buf) - paddingLength(buf);
    }

    public static void setMarker(ByteBuf buf, boolean marker) {
        int i = buf.readerIndex() + 1;
        int b = buf.getByte(i);
        buf.setByte(i, marker ? b | 0x80 : b & 0x7F);
    }

    public static void setPayloadType(ByteBuf buf, int payloadType) {
        checkPayloadType(payloadType);
        int i = buf.readerIndex() + 1;
        buf.setByte(i, (buf.getByte(i) & 0x80) | payloadType);
    }

    public static void setSequence(ByteBuf buf, int sequence) {
        buf.setShort(buf.readerIndex() + 2, sequence);
    }

    public static void setTimestamp(ByteBuf buf, long timestamp) {
        buf.setInt(buf.readerIndex() + 4, (int) timestamp);
    }

    public static void setSsrc(ByteBuf buf, long ssrc) {
        buf.setInt(buf.readerIndex() + 8, (int) ssrc);
    }

    /**
     * Writes a 12-byte header (version 2, no padding, extension or CSRCs) at {@code dst}'s writerIndex; the caller
     * writes the payload after it. Sequence and timestamp are taken modulo 2^16 and 2^32.
     *
     * @throws IllegalArgumentException if {@code payloadType} is outside 0..127
     * @throws IndexOutOfBoundsException if {@code dst} cannot grow by 12 bytes
     */
    public static void writeHeader(ByteBuf dst, int payloadType, boolean marker, int sequence, long timestamp,
                                   long ssrc) {
        checkPayloadType(payloadType);
        dst.ensureWritable(FIXED_HEADER_LENGTH);
        dst.writeByte(0x80);
        dst.writeByte(marker ? 0x80 | payloadType : payloadType);
        dst.writeShort(sequence);
        dst.writeInt((int) timestamp);
        dst.writeInt((int) ssrc);
    }

    private static void checkPayloadType(int payloadType) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
    }
}
