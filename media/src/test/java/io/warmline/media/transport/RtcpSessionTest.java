package io.warmline.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtcp.RtcpException;
import io.warmline.media.rtcp.RtcpPacket;
import io.warmline.media.rtcp.RtcpWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two {@link RtcpSession}s stepped through fake time over a simulated network: one-way delays, loss, jitter,
 * reordering and duplicates applied to RTP, RTCP written and parsed as bytes. Each side's wall clock is different,
 * as two hosts' are, and the round-trip time must not depend on it (RFC 3550 §6.4.1).
 */
@ExtendWith(LeakCheck.class)
class RtcpSessionTest {

    private static final long MS = 1_000_000L;
    private static final long A_SSRC = 0xAAAA0001L;
    private static final long B_SSRC = 0xBBBB0002L;
    private static final int RATE = 8000;
    private static final long START = 1_000 * MS;

    /** Something delivered at a time. */
    private record Event(long at, long order, Runnable action) {}

    /** Both sessions and the network between them. */
    private static final class Net {
        final RtcpSession a = new RtcpSession(A_SSRC, "a@test", new SplittableRandom(1), START,
                1_700_000_000_000_000_000L);
        final RtcpSession b = new RtcpSession(B_SSRC, "b@test", new SplittableRandom(2), START,
                1_600_000_123_456_789_000L);
        final PriorityQueue<Event> queue = new PriorityQueue<>((x, y) -> x.at != y.at ? Long.compare(x.at, y.at)
                : Long.compare(x.order, y.order));
        final List<ReportBlock> reportsToA = new ArrayList<>();
        long order;
        long rtcpDelay = 30 * MS;

        void at(long time, Runnable action) {
            queue.add(new Event(time, order++, action));
        }

        /** Runs until {@code end}: both send RTP every 20 ms (A's through {@code drop}/{@code delay}), and RTCP. */
        void run(long end, IntPredicate dropAtoB, IntToLongFunction delayAtoB, long delayBtoA) {
            for (int seq = 0; START + seq * 20 * MS < end; seq++) {
                int s = seq;
                long sent = START + seq * 20 * MS;
                at(sent, () -> a.onRtpSent(s * 160L, 160, sent));
                at(sent, () -> b.onRtpSent(s * 160L, 160, sent));
                if (!dropAtoB.test(s)) {
                    long arrival = sent + delayAtoB.applyAsLong(s);
                    at(arrival, () -> b.onRtpReceived(A_SSRC, s & 0xFFFF, s * 160L, RATE, arrival));
                }
                long back = sent + delayBtoA;
                at(back, () -> a.onRtpReceived(B_SSRC, s & 0xFFFF, s * 160L, RATE, back));
            }
            for (long t = START; t < end; t += 10 * MS) {
                long now = t;
                at(now, () -> {
                    poll(a, b, now, null);
                    poll(b, a, now, reportsToA);
                });
            }
            while (!queue.isEmpty() && queue.peek().at < end) {
                queue.poll().action.run();
            }
            queue.clear();
        }

        private void poll(RtcpSession from, RtcpSession to, long now, List<ReportBlock> seen) {
            List<RtcpPacket> compound = from.poll(now, RATE);
            if (compound == null) {
                return;
            }
            from.onSent();
            ByteBuf wire = Unpooled.buffer();
            RtcpWriter.writeCompound(compound, wire);
            at(now + rtcpDelay, () -> {
                try {
                    ReportBlock block = to.onRtcp(wire, now + rtcpDelay);
                    if (seen != null && block != null) {
                        seen.add(block);
                    }
                } catch (RtcpException e) {
                    throw new AssertionError(e);
                } finally {
                    wire.release();
                }
            });
        }
    }

    @Test
    void roundTripAndTheFarEndsLossComeFromItsReportsWhateverItsWallClock() {
        Net net = new Net();
        // every 10th packet A→B lost; 30 ms one way for RTP and RTCP both ways
        net.run(START + 40_000 * MS, s -> s % 10 == 5, s -> 30 * MS, 30 * MS);

        RtcpStats a = net.a.stats(RATE);
        assertTrue(a.reportsReceived() >= 5 && a.reportsSent() >= 5, a.toString());
        assertEquals(60, a.rttMillis(), 0.1, "RTT = A - LSR - DLSR: twice the 30 ms one-way delay");
        // one interval holds 200..300 packets, so its count of lost is a tenth give or take one packet
        assertEquals(0.1, a.remoteFractionLost(), 3.0 / 256, "B reports a tenth of A's packets lost");
        ReportBlock last = net.reportsToA.get(net.reportsToA.size() - 1);
        assertEquals(last.cumulativeLost(), a.remoteCumulativeLost());
        // B's report covers what it expected up to its last report: about a tenth lost
        assertEquals(last.extendedHighestSeq() / 10.0, last.cumulativeLost(), 2);
        assertEquals(0, a.remoteJitterMillis(), 0.01, "constant delay: no jitter");

        RtcpStats b = net.b.stats(RATE);
        assertEquals(60, b.rttMillis(), 0.1, "B measures the same round trip from A's reports");
        assertEquals(0, b.remoteFractionLost(), 0.0, "nothing B sends is lost");
        assertEquals(0.1, b.fractionLost(), 0.02);
        assertTrue(b.cumulativeLost() > 150, b.toString());
        assertEquals(0, net.a.malformed() + net.b.malformed());
    }

    @Test
    void jitterFollowsRfc3550A8OnAKnownArrivalPattern() {
        long[] extra = {0, 5 * MS, 12 * MS, 2 * MS, 7 * MS};
        Net net = new Net();
        long end = START + 20_000 * MS;
        net.run(end, s -> false, s -> 20 * MS + extra[s % extra.length], 20 * MS);

        // A.8 by hand: J += (|D| - J) / 16 with D the change in transit time, in timestamp units
        double j = 0;
        long packets = (end - START - 20 * MS) / (20 * MS);
        for (int s = 1; s <= packets; s++) {
            double d = Math.abs(extra[s % extra.length] - extra[(s - 1) % extra.length]) * RATE / 1e9;
            j += (d - j) / 16;
        }
        RtcpStats b = net.b.stats(RATE);
        assertEquals(j * 1000 / RATE, b.jitterMillis(), 0.25, "B's own jitter estimate of A's stream");
        assertEquals(j * 1000 / RATE, net.a.stats(RATE).remoteJitterMillis(), 0.5,
                "A reads the same figure from B's report blocks");
        assertEquals(0, b.cumulativeLost());
    }

    @Test
    void reorderedAndDuplicatedPacketsCountAsRfc3550A3Says() {
        Net net = new Net();
        // packets 100 and 101 swap places, 200 lost, 300 and 301 lost, 400..404 arrive twice
        IntToLongFunction delay = s -> s == 100 ? 45 * MS : 20 * MS;
        net.run(START + 10_000 * MS, s -> s == 200 || s == 300 || s == 301, delay, 20 * MS);
        for (int s = 400; s < 405; s++) {
            net.b.onRtpReceived(A_SSRC, s, s * 160L, RATE, START + 10_001 * MS);
        }
        RtcpStats b = net.b.stats(RATE);
        assertEquals(3 - 5, b.cumulativeLost(), "three lost, five duplicates: A.3's count goes negative");
        assertTrue(b.expected() > 490, b.toString());
        List<RtcpPacket> report = net.b.bye(START + 10_002 * MS, RATE);
        ReportBlock block = ((io.warmline.media.rtcp.SenderReport) report.get(0)).reports().get(0);
        assertEquals(-2, block.cumulativeLost(), "the 24-bit field carries the negative count");
    }

    @Test
    void aMalformedCompoundIsCountedAndThrown() {
        Net net = new Net();
        ByteBuf junk = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 201, 0, 9, 1, 2, 3, 4});
        try {
            assertThrows(RtcpException.class, () -> net.a.onRtcp(junk, START));
            assertEquals(1, junk.refCnt(), "the caller still owns the buffer");
        } finally {
            junk.release();
        }
        net.a.countMalformed();
        assertEquals(2, net.a.stats(RATE).malformed());
        assertEquals(0, net.a.stats(RATE).reportsReceived());
    }

    @Test
    void aReportWithoutABlockAboutUsChangesNothingAndANewSourceStartsAfresh() throws Exception {
        Net net = new Net();
        net.run(START + 6_000 * MS, s -> false, s -> 20 * MS, 20 * MS);
        assertNotNull(net.a.lastRemoteReport());
        long before = net.a.stats(RATE).remoteReports();

        ByteBuf wire = Unpooled.buffer();
        RtcpWriter.writeCompound(new RtcpSession(0x1234, "c@test", new SplittableRandom(3), START, 0)
                .bye(START, RATE), wire);
        try {
            assertNull(net.a.onRtcp(wire, START + 6_000 * MS));
        } finally {
            wire.release();
        }
        assertEquals(before, net.a.stats(RATE).remoteReports());

        long expectedBefore = net.b.stats(RATE).expected();
        assertTrue(expectedBefore > 250);
        net.b.onRtpReceived(0x7777, 10, 0, RATE, START + 6_001 * MS);
        assertEquals(0x7777, net.b.remoteSsrc());
        assertEquals(0, net.b.stats(RATE).expected(), "an SSRC change restarts the statistics (§8.2)");
    }
}
