package io.warmline.webrtc.demux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class Rfc7983DemuxTest {

    @Test
    void everyFirstByteGoesToExactlyTheKindOfItsRange() {
        for (int b = 0; b < 256; b++) {
            PacketKind expected;
            if (b <= 3) {
                expected = PacketKind.STUN;
            } else if (b >= 20 && b <= 63) {
                expected = PacketKind.DTLS;
            } else if (b >= 128 && b <= 191) {
                expected = PacketKind.RTP;
            } else {
                expected = PacketKind.UNKNOWN;
            }
            assertEquals(expected, classify(packet(40, b, 0)), "first byte " + b);
        }
    }

    @Test
    void rtcpByPayloadTypeWithTheMarkerBitMasked() {
        for (int second = 0; second < 256; second++) {
            int pt = second & 0x7F;
            PacketKind expected = pt >= 64 && pt <= 95 ? PacketKind.RTCP : PacketKind.RTP;
            assertEquals(expected, classify(packet(40, 0x80, second)), "second byte " + second);
        }
        assertEquals(PacketKind.RTCP, classify(packet(28, 0x81, 200))); // SR
        assertEquals(PacketKind.RTCP, classify(packet(28, 0x8F, 206))); // PSFB
        assertEquals(PacketKind.RTP, classify(packet(28, 0x80, 111))); // Opus
        assertEquals(PacketKind.RTP, classify(packet(28, 0x80, 111 | 0x80))); // Opus with marker
        assertEquals(PacketKind.RTP, classify(packet(28, 0x80, 0)));
    }

    @Test
    void packetsTooShortForTheirKindAreUnknown() {
        assertEquals(PacketKind.UNKNOWN, classify(Unpooled.EMPTY_BUFFER));
        assertEquals(PacketKind.UNKNOWN, classify(packet(19, 0, 1)));
        assertEquals(PacketKind.STUN, classify(packet(20, 0, 1)));
        assertEquals(PacketKind.UNKNOWN, classify(packet(12, 22, 254)));
        assertEquals(PacketKind.DTLS, classify(packet(13, 22, 254)));
        assertEquals(PacketKind.UNKNOWN, classify(packet(11, 0x80, 0)));
        assertEquals(PacketKind.RTP, classify(packet(12, 0x80, 0)));
        assertEquals(PacketKind.UNKNOWN, classify(packet(7, 0x80, 200)));
        assertEquals(PacketKind.RTCP, classify(packet(8, 0x80, 200)));
        assertEquals(PacketKind.UNKNOWN, classify(packet(1, 0x80, 0)));
    }

    @Test
    void countsEachKindAndLeavesTheBufferAlone() {
        Rfc7983Demux demux = new Rfc7983Demux();
        ByteBuf stun = packet(20, 0, 1);
        ByteBuf junk = packet(20, 70, 1);
        try {
            assertEquals(PacketKind.STUN, demux.classifyAndCount(stun));
            assertEquals(PacketKind.UNKNOWN, demux.classifyAndCount(junk));
            assertEquals(PacketKind.UNKNOWN, demux.classifyAndCount(junk));
            assertEquals(1, demux.count(PacketKind.STUN));
            assertEquals(2, demux.count(PacketKind.UNKNOWN));
            assertEquals(0, demux.count(PacketKind.RTP));
            assertEquals(2, stun.readerIndex());
            assertEquals(1, stun.refCnt());
        } finally {
            stun.release();
            junk.release();
        }
    }

    private static PacketKind classify(ByteBuf buf) {
        try {
            return Rfc7983Demux.classify(buf);
        } finally {
            buf.release();
        }
    }

    private static ByteBuf packet(int length, int first, int second) {
        ByteBuf b = Unpooled.buffer(length + 2).writeZero(2).writeZero(length).readerIndex(2);
        if (length > 0) {
            b.setByte(2, first);
        }
        if (length > 1) {
            b.setByte(3, second);
        }
        return b;
    }
}
