package io.warmline.media.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.transport.LeakCheck;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class RtpRewriterTest {

    private static final long MS = 1_000_000L;
    private static final long OUT_SSRC = 0xABCDEF01L;

    private RtpRewriter rw;
    private ByteBuf p;

    @BeforeEach
    void setUp() {
        rw = new RtpRewriter(OUT_SSRC, 65534, 0xFFFFFF00L);
        rw.mapPayloadType(0, 8);
        rw.mapPayloadType(101, 96);
        p = Unpooled.buffer(172);
    }

    @AfterEach
    void tearDown() {
        assertEquals(1, p.refCnt());
        p.release();
    }

    /** Rewrites one packet and returns {seq, ts, marker, pt}. */
    private long[] send(int pt, boolean marker, int seq, long ts, long ssrc, long nowMs) {
        p.clear();
        RtpHeader.writeHeader(p, pt, marker, seq, ts, ssrc);
        p.writeZero(160);
        assertTrue(rw.rewrite(p, 8000, nowMs * MS));
        assertEquals(OUT_SSRC, RtpHeader.ssrc(p));
        assertEquals(172, p.readableBytes());
        return new long[] {RtpHeader.sequence(p), RtpHeader.timestamp(p), RtpHeader.marker(p) ? 1 : 0,
            RtpHeader.payloadType(p)};
    }

    private static void assertOut(long seq, long ts, boolean marker, int pt, long[] got) {
        assertEquals(seq, got[0], "seq");
        assertEquals(ts, got[1], "ts");
        assertEquals(marker ? 1 : 0, got[2], "marker");
        assertEquals(pt, got[3], "pt");
    }

    @Test
    void firstStreamKeepsSpacingAndWraps() {
        assertOut(65534, 0xFFFFFF00L, true, 8, send(0, false, 100, 5000, 1, 0));
        assertOut(65535, 0xFFFFFFA0L, false, 8, send(0, false, 101, 5160, 1, 20));
        assertOut(0, 0x40L, false, 8, send(0, false, 102, 5320, 1, 40));
        // a loss of two packets stays visible as a gap
        assertOut(3, 0x40L + 480, false, 8, send(0, false, 105, 5800, 1, 100));
        // a late packet keeps its place and does not move the stream
        assertOut(2, 0x40L + 320, false, 8, send(0, false, 104, 5640, 1, 101));
        assertOut(4, 0x40L + 640, false, 8, send(0, false, 106, 5960, 1, 120));
    }

    @Test
    void inputMarkerIsKept() {
        send(0, false, 1, 0, 1, 0);
        assertOut(65535, 0xFFFFFF00L + 160, true, 8, send(0, true, 2, 160, 1, 20));
    }

    @Test
    void newInputSsrcContinuesSequenceAndCarriesWallTime() {
        send(0, false, 100, 5000, 1, 0);
        send(0, false, 101, 5160, 1, 20);
        // new source, unrelated numbering, 60 ms after the last packet: ts advances by 480 samples
        long[] a = send(0, false, 9000, 123456, 2, 80);
        assertOut(0, 0xFFFFFFA0L + 480 - 0x1_0000_0000L, true, 8, a);
        assertOut(1, a[1] + 160, false, 8, send(0, false, 9001, 123616, 2, 100));
    }

    @Test
    void sequenceJumpWithinSsrcIsRebased() {
        send(0, false, 100, 5000, 1, 0);
        long[] j = send(0, false, 100 + RtpRewriter.MAX_DROPOUT + 1, 5160, 1, 20);
        assertOut(65535, 0xFFFFFF00L + 160, true, 8, j);
        // within the dropout limit it is a loss, not a jump
        long[] k = send(0, false, 100 + RtpRewriter.MAX_DROPOUT + 1 + 50, 5160 + 50 * 160, 1, 40);
        assertOut(49, (j[1] + 50 * 160) & 0xFFFFFFFFL, false, 8, k);
    }

    @Test
    void farBackwardsSequenceIsRebased() {
        send(0, false, 5000, 0, 1, 0);
        long[] j = send(0, false, 5000 - RtpRewriter.MAX_MISORDER - 1, 160, 1, 20);
        assertOut(65535, 0xFFFFFF00L + 160, true, 8, j);
        assertOut(0, (0xFFFFFF00L + 320) & 0xFFFFFFFFL, false, 8, send(0, false, 5000 - RtpRewriter.MAX_MISORDER, 320, 1, 40));
    }

    @Test
    void timestampJumpWithinSsrcIsRebased() {
        send(0, false, 10, 1000, 1, 0);
        // sequence continues but the timestamp leaps 60 s ahead after 20 ms: source restarted its clock
        long[] j = send(0, false, 11, 1000 + 60 * 8000, 1, 20);
        assertOut(65535, 0xFFFFFF00L + 160, true, 8, j);
        // silence suppression: 3 s of silence with a matching timestamp advance is not a jump
        long[] k = send(0, false, 12, 1000 + 60 * 8000 + 3 * 8000, 1, 3020);
        assertOut(0, (j[1] + 3 * 8000) & 0xFFFFFFFFL, false, 8, k);
    }

    @Test
    void telephoneEventKeepsItsStartTimestamp() {
        send(0, false, 10, 1000, 1, 0);
        long[] e1 = send(101, true, 11, 1160, 1, 20);
        assertOut(65535, 0xFFFFFF00L + 160, true, 96, e1);
        long[] e2 = send(101, false, 12, 1160, 1, 70);
        assertOut(0, e1[1], false, 96, e2);
        // audio interleaved at a later timestamp, then the event's end packet with its start timestamp again
        send(0, false, 13, 1640, 1, 80);
        assertOut(2, e1[1], false, 96, send(101, false, 14, 1160, 1, 90));
    }

    @Test
    void unmappedPayloadTypeLeavesPacketUntouched() {
        p.clear();
        RtpHeader.writeHeader(p, 18, false, 7, 8, 9);
        assertFalse(rw.rewrite(p, 8000, 0));
        assertEquals(18, RtpHeader.payloadType(p));
        assertEquals(7, RtpHeader.sequence(p));
        assertEquals(9, RtpHeader.ssrc(p));
        assertEquals(-1, rw.outputPayloadType(18));
        rw.clearPayloadTypes();
        assertEquals(-1, rw.outputPayloadType(0));
    }

    @Test
    void randomStartIsWithinRange() {
        RtpRewriter r = RtpRewriter.create(0x1_2345_6789L, new SplittableRandom(42));
        assertEquals(0x2345_6789L, r.ssrc());
        r.mapPayloadType(0, 0);
        p.clear();
        RtpHeader.writeHeader(p, 0, false, 1, 1, 1);
        assertTrue(r.rewrite(p, 8000, 0));
        assertTrue(RtpHeader.marker(p));
        assertEquals(0x2345_6789L, RtpHeader.ssrc(p));
    }

    @Test
    void manySourceSwitchesKeepSequenceAndTimestampContinuous() {
        SplittableRandom rnd = new SplittableRandom(7);
        int inSeq = 1;
        long inTs = 0;
        long inSsrc = 1;
        long[] prev = send(0, false, inSeq, inTs, inSsrc, 0);
        int switches = 0;
        for (int i = 1; i <= 500; i++) {
            boolean switchSource = rnd.nextInt(10) == 0;
            if (switchSource) {
                switches++;
                inSsrc = (inSsrc + 1 + rnd.nextInt(1000)) & 0xFFFFFFFFL;
                inSeq = rnd.nextInt(0x10000);
                inTs = rnd.nextLong() & 0xFFFFFFFFL;
            } else {
                inSeq = (inSeq + 1) & 0xFFFF;
                inTs = (inTs + 160) & 0xFFFFFFFFL;
            }
            long[] got = send(0, false, inSeq, inTs, inSsrc, i * 20L);
            assertEquals(switchSource ? 1 : 0, got[2], "marker at " + i);
            assertEquals((prev[0] + 1) & 0xFFFF, got[0], "seq at " + i);
            assertEquals((prev[1] + 160) & 0xFFFFFFFFL, got[1], "ts at " + i);
            prev = got;
        }
        assertTrue(switches > 20);
    }
}
