package io.warmline.webrtc.demux;

import io.netty.buffer.ByteBuf;
import io.warmline.media.rtp.RtpDemux;

/**
 * Tells STUN, DTLS, RTP and RTCP apart on one port (RFC 7983 §7) and counts what it saw.
 *
 * <pre>
 * first byte   0..3   STUN         (needs the 20-byte header)
 *             20..63  DTLS         (needs the 13-byte record header)
 *            128..191 RTP / RTCP   (RFC 5761 §4: RTCP when the second byte, marker bit masked, is 64..95,
 *                                   i.e. packet types 192..223; RTP needs 12 bytes, RTCP 8)
 *             else    UNKNOWN      (16..19 ZRTP, 64..79 TURN channels: neither is spoken here)
 * </pre>
 *
 * {@link #classify} is a pure function; an instance adds per-kind counters. Not thread-safe: one per event loop.
 */
public final class Rfc7983Demux {

    static final int MIN_STUN = 20;
    static final int MIN_DTLS = 13;
    static final int MIN_RTP = 12;
    static final int MIN_RTCP = 8;

    private final long[] counts = new long[PacketKind.values().length];

    /** Classifies the readable bytes of {@code packet} without moving its indices. */
    public static PacketKind classify(ByteBuf packet) {
        int n = packet.readableBytes();
        if (n == 0) {
            return PacketKind.UNKNOWN;
        }
        int i = packet.readerIndex();
        int first = packet.getUnsignedByte(i);
        if (first <= 3) {
            return n >= MIN_STUN ? PacketKind.STUN : PacketKind.UNKNOWN;
        }
        if (first >= 20 && first <= 63) {
            return n >= MIN_DTLS ? PacketKind.DTLS : PacketKind.UNKNOWN;
        }
        if (RtpDemux.isRtpOrRtcp(first) && n >= 2) {
            if (RtpDemux.isRtcpPacketType(packet.getUnsignedByte(i + 1))) {
                return n >= MIN_RTCP ? PacketKind.RTCP : PacketKind.UNKNOWN;
            }
            return n >= MIN_RTP ? PacketKind.RTP : PacketKind.UNKNOWN;
        }
        return PacketKind.UNKNOWN;
    }

    /** {@link #classify} and count; the caller drops (and releases) what comes back {@link PacketKind#UNKNOWN}. */
    public PacketKind classifyAndCount(ByteBuf packet) {
        PacketKind kind = classify(packet);
        counts[kind.ordinal()]++;
        return kind;
    }

    /** Packets of this kind seen so far. */
    public long count(PacketKind kind) {
        return counts[kind.ordinal()];
    }
}
