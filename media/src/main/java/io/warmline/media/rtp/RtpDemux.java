package io.warmline.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Pure predicates that tell RTP from RTCP and from the other protocols that may share a port.
 *
 * <pre>
 * RFC 7983 §7 first byte:   0..3 STUN | 16..19 ZRTP | 20..63 DTLS | 64..79 TURN channel | 128..191 RTP/RTCP
 * RFC 5761 §4 second byte:  payload type (marker bit masked) 64..95 → RTCP (SR 200 .. PSFB 206 and reserved)
 * </pre>
 */
public final class RtpDemux {

    private RtpDemux() {
    }

    /** RFC 7983 §7: first byte in 128..191 (version 2). */
    public static boolean isRtpOrRtcp(int firstByte) {
        int b = firstByte & 0xFF;
        return b >= 128 && b <= 191;
    }

    /** RFC 5761 §4: second byte with the marker bit masked in 64..95 is RTCP (packet types 192..223). */
    public static boolean isRtcpPacketType(int secondByte) {
        int pt = secondByte & 0x7F;
        return pt >= 64 && pt <= 95;
    }

    /** RTP/RTCP by the first byte and RTCP by the second; needs at least two readable bytes. */
    public static boolean isRtcp(ByteBuf buf) {
        int i = buf.readerIndex();
        return buf.readableBytes() >= 2 && isRtpOrRtcp(buf.getByte(i)) && isRtcpPacketType(buf.getByte(i + 1));
    }

    /** RTP/RTCP by the first byte and not RTCP by the second; needs at least two readable bytes. */
    public static boolean isRtp(ByteBuf buf) {
        int i = buf.readerIndex();
        return buf.readableBytes() >= 2 && isRtpOrRtcp(buf.getByte(i)) && !isRtcpPacketType(buf.getByte(i + 1));
    }
}
