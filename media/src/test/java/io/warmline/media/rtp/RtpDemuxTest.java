package io.warmline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtpDemuxTest {

    @Test
    void firstByteRangeOfRfc7983() {
        for (int b = 0; b < 256; b++) {
            assertEquals(b >= 128 && b <= 191, RtpDemux.isRtpOrRtcp(b), "byte " + b);
            assertEquals(b >= 128 && b <= 191, RtpDemux.isRtpOrRtcp((byte) b), "signed byte " + b);
        }
    }

    @Test
    void secondByteRangeOfRfc5761() {
        for (int b = 0; b < 256; b++) {
            boolean rtcp = (b >= 192 && b <= 223) || (b >= 64 && b <= 95);
            assertEquals(rtcp, RtpDemux.isRtcpPacketType(b), "byte " + b);
        }
        for (int pt = 200; pt <= 206; pt++) {
            assertTrue(RtpDemux.isRtcpPacketType(pt));
        }
        assertFalse(RtpDemux.isRtcpPacketType(0));
        assertFalse(RtpDemux.isRtcpPacketType(0x80 | 8));
        assertFalse(RtpDemux.isRtcpPacketType(101));
    }

    @Test
    void classifiesBuffers() {
        ByteBuf sr = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 200, 0, 6});
        ByteBuf rtp = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x88, 0, 1});
        ByteBuf stun = Unpooled.wrappedBuffer(new byte[] {0, 1, 0, 0});
        ByteBuf one = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80});
        try {
            assertTrue(RtpDemux.isRtcp(sr));
            assertFalse(RtpDemux.isRtp(sr));
            assertTrue(RtpDemux.isRtp(rtp));
            assertFalse(RtpDemux.isRtcp(rtp));
            assertFalse(RtpDemux.isRtp(stun));
            assertFalse(RtpDemux.isRtcp(stun));
            assertFalse(RtpDemux.isRtp(one));
            assertFalse(RtpDemux.isRtcp(one));
        } finally {
            sr.release();
            rtp.release();
            stun.release();
            one.release();
        }
    }
}
