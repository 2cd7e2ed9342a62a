package io.warmline.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.media.rtcp.Bye;
import io.warmline.media.rtcp.NtpTime;
import io.warmline.media.rtcp.ReceiverReport;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtcp.RtcpPacket;
import io.warmline.media.rtcp.RtcpParser;
import io.warmline.media.rtcp.RtcpWriter;
import io.warmline.media.rtcp.SenderReport;
import io.warmline.media.rtcp.SourceDescription;
import io.warmline.media.stats.ReceptionStats;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class RtcpSchedulerTest {

    private static final long MS = 1_000_000L;
    private static final long SSRC = 0x11223344L;
    private static final long REMOTE = 0x55667788L;
    private static final long NTP = NtpTime.fromUnixNanos(1_700_000_000_000_000_000L);

    /** A random source that always returns {@code value} from nextDouble. */
    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    private static long compensated(double seconds) {
        return (long) (seconds * 1e9 / (Math.E - 1.5));
    }

    @Test
    void intervalBoundsFollowRfc3550() {
        // first report: 2.5 s × [0.5, 1.5] / (e − 3/2)
        assertEquals(compensated(1.25), new RtcpScheduler(SSRC, "c", fixed(0.0), 0).nextDeadline(), 1000);
        assertEquals(compensated(3.75), new RtcpScheduler(SSRC, "c", fixed(0.99999999), 0).nextDeadline(), 1000);
        RtcpScheduler s = new RtcpScheduler(SSRC, "c", fixed(0.5), 0);
        long first = s.nextDeadline();
        assertEquals(compensated(2.5), first, 1000);
        assertNotNull(s.poll(first, NTP, 8000, null, 0));
        assertEquals(first + compensated(5.0), s.nextDeadline(), 1000);
    }

    @Test
    void randomizedIntervalsStayInRange() {
        RtcpScheduler s = new RtcpScheduler(SSRC, "c", new SplittableRandom(3), 0);
        long now = s.nextDeadline();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            assertNotNull(s.poll(now, NTP, 8000, null, 0));
            long interval = s.nextDeadline() - now;
            min = Math.min(min, interval);
            max = Math.max(max, interval);
            now = s.nextDeadline();
        }
        assertTrue(min >= compensated(2.5), "min " + min);
        assertTrue(max <= compensated(7.5), "max " + max);
        assertTrue(max - min > compensated(4.0), "spread " + (max - min));
    }

    @Test
    void nothingBeforeDeadline() {
        RtcpScheduler s = new RtcpScheduler(SSRC, "c", fixed(0.5), 100);
        long due = s.nextDeadline();
        assertFalse(s.isDue(due - 1));
        assertNull(s.poll(due - 1, NTP, 8000, null, 0));
        assertTrue(s.isDue(due));
    }

    @Test
    void receiverReportWhenNotSendingWithCname() {
        RtcpScheduler s = new RtcpScheduler(SSRC, "leg@example", fixed(0.5), 0);
        List<RtcpPacket> compound = s.poll(10_000 * MS, NTP, 8000, null, 0);
        assertEquals(2, compound.size());
        ReceiverReport rr = assertInstanceOf(ReceiverReport.class, compound.get(0));
        assertEquals(SSRC, rr.ssrc());
        assertTrue(rr.reports().isEmpty());
        SourceDescription sdes = assertInstanceOf(SourceDescription.class, compound.get(1));
        assertEquals("leg@example", sdes.cnameOf(SSRC).orElseThrow());
    }

    @Test
    void senderReportOnlyForIntervalsWithSending() {
        RtcpScheduler s = new RtcpScheduler(SSRC, "c", fixed(0.5), 0);
        long t = 0;
        for (int i = 0; i < 150; i++) {
            s.onRtpSent(1000 + i * 160L, 160, t);
            t += 20 * MS;
        }
        // last packet at t − 20 ms carried ts 1000 + 149 × 160; the SR is taken 30 ms after it
        long now = t + 10 * MS;
        assertTrue(s.isDue(now));
        SenderReport sr = assertInstanceOf(SenderReport.class, s.poll(now, NTP, 8000, null, 0).get(0));
        assertEquals(SSRC, sr.ssrc());
        assertEquals(NTP, sr.ntpTimestamp());
        assertEquals(1000 + 149 * 160 + 240, sr.rtpTimestamp());
        assertEquals(150, sr.packetCount());
        assertEquals(150 * 160, sr.octetCount());
        // nothing sent in the next interval: RR
        assertInstanceOf(ReceiverReport.class, s.poll(s.nextDeadline(), NTP, 8000, null, 0).get(0));
        // counts are cumulative (RFC 3550 §6.4.1)
        s.onRtpSent(99_999, 80, s.nextDeadline());
        SenderReport again = assertInstanceOf(SenderReport.class, s.poll(s.nextDeadline(), NTP, 8000, null, 0).get(0));
        assertEquals(151, again.packetCount());
        assertEquals(150 * 160 + 80, again.octetCount());
        assertEquals(99_999, again.rtpTimestamp());
    }

    @Test
    void reportBlockOnRemoteSource() {
        ReceptionStats remote = new ReceptionStats(8000);
        long t = 0;
        int[] seqs = {10, 11, 12, 13, 15, 16};
        for (int seq : seqs) {
            remote.onPacket(seq, seq * 160L, t);
            t += 20 * MS;
        }
        remote.onSenderReport(NTP, t);
        RtcpScheduler s = new RtcpScheduler(SSRC, "c", fixed(0.5), 0);
        long now = t + 500 * MS;
        ReceiverReport rr = assertInstanceOf(ReceiverReport.class, s.poll(Math.max(now, s.nextDeadline()), NTP, 8000,
                remote, REMOTE).get(0));
        assertEquals(1, rr.reports().size());
        ReportBlock block = rr.reports().get(0);
        assertEquals(REMOTE, block.ssrc());
        assertEquals(1, block.cumulativeLost());
        assertEquals(16, block.extendedHighestSeq());
        assertTrue(block.fractionLost() > 0);
        assertEquals(NtpTime.middle32(NTP), block.lastSr());
        assertTrue(block.delaySinceLastSr() > 0);
    }

    @Test
    void sourceOnProbationIsNotReported() {
        ReceptionStats remote = new ReceptionStats(8000);
        remote.onPacket(1, 0, 0);
        RtcpScheduler s = new RtcpScheduler(SSRC, "c", fixed(0.5), 0);
        ReceiverReport rr = assertInstanceOf(ReceiverReport.class,
                s.poll(s.nextDeadline(), NTP, 8000, remote, REMOTE).get(0));
        assertTrue(rr.reports().isEmpty());
    }

    @Test
    void byeCompoundStartsWithReportAndRoundTrips() throws Exception {
        RtcpScheduler s = new RtcpScheduler(SSRC, "leg@example", fixed(0.5), 0);
        s.onRtpSent(5, 160, 0);
        List<RtcpPacket> compound = s.bye(40 * MS, NTP, 8000, null, 0);
        assertEquals(3, compound.size());
        assertInstanceOf(SenderReport.class, compound.get(0));
        assertEquals(Bye.of(SSRC), compound.get(2));
        ByteBuf wire = Unpooled.buffer();
        try {
            RtcpWriter.writeCompound(compound, wire);
            List<RtcpPacket> parsed = RtcpParser.parse(wire);
            assertEquals(compound, parsed);
        } finally {
            wire.release();
        }
    }
}
