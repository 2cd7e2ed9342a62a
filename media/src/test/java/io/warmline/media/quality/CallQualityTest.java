package io.warmline.media.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.jitter.JitterBufferStats;
import io.warmline.media.stats.ReceptionStats;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class CallQualityTest {

    @Test
    void addsTheDelaysOnTheWayAndCountsEveryUnplayedPacket() {
        // 40 ms network + 40 ms buffer + 20 ms frame: 100 ms; 20 of 1000 packets unplayed: 2 %.
        CallQuality q = CallQuality.estimate(CodecImpairment.G711_PLC, 40, 40, 20, 1000, 20);
        assertEquals(100, q.oneWayDelayMillis(), 1e-9);
        assertEquals(2, q.lossPercent(), 1e-9);
        assertEquals(0, q.discardPercent());
        assertEquals(93.2 - 2.4 - 7.0111, q.rFactor(), 1e-3);
        assertEquals(EModel.mos(q.rFactor()), q.mos(), 1e-12);
        CallQuality split = CallQuality.estimate(CodecImpairment.G711_PLC, 40, 40, 20, 1000, 12, 8);
        assertEquals(1.2, split.lossPercent(), 1e-9);
        assertEquals(0.8, split.discardPercent(), 1e-9);
        assertEquals(q.rFactor(), split.rFactor(), 1e-12, "the listener loses discarded packets as well (G.107 Ppl)");
    }

    @Test
    void fromJitterBufferTheNetworksLossIsTheSequenceGapsAndLateOrDiscardedPacketsAreDiscards() {
        JitterBufferStats stats = new JitterBufferStats(990, 10, 5, 0, 5, 0, 980, 10, 0, 0, 0, 0, 60, 60, 12);
        CallQuality q = CallQuality.fromJitterBuffer(CodecImpairment.OPUS, stats, 0, 30, 20);
        assertEquals(30 + 60 + 20 + 6.5, q.oneWayDelayMillis(), 1e-9);
        assertEquals(1.0, q.lossPercent(), 1e-9); // 10 / 1000
        assertEquals(1.0, q.discardPercent(), 1e-9); // (5 + 5) / 1000
        // Opus: Ie 11 + 84·2/(2 + 20) = 18.636; Id(116.5 ms) = 2.796.
        assertEquals(93.2 - 2.796 - 18.6364, q.rFactor(), 1e-3);
        assertEquals(3.68, q.mos(), 0.005);
    }

    @Test
    void dropsOurOwnStallsCausedAreNeitherLossNorDiscards() {
        // 200 of 1000 packets dropped by the buffer, all after our own stalls; the network lost nothing.
        JitterBufferStats stats = new JitterBufferStats(1000, 0, 50, 0, 150, 0, 800, 0, 0, 0, 0, 0, 40, 40, 1);
        CallQuality ours = CallQuality.fromJitterBuffer(CodecImpairment.G711_PLC, stats, 200, 10, 20);
        CallQuality clean = CallQuality.estimate(CodecImpairment.G711_PLC, 10, 40, 20, 1000, 0);
        assertEquals(0, ours.lossPercent());
        assertEquals(0, ours.discardPercent());
        assertEquals(clean.mos(), ours.mos(), 1e-12);
        CallQuality half = CallQuality.fromJitterBuffer(CodecImpairment.G711_PLC, stats, 100, 10, 20);
        assertEquals(10.0, half.discardPercent(), 1e-9);
        assertTrue(half.mos() < ours.mos() - 0.5, "10 % discarded by network jitter: MOS " + half.mos());
    }

    @Test
    void nothingReceivedYetMeansNoLossFigure() {
        CallQuality q = CallQuality.estimate(CodecImpairment.G711_PLC, 0, 0, 0, 0, 0);
        assertEquals(0, q.lossPercent());
        assertEquals(4.41, q.mos(), 0.005);
        assertThrows(IllegalArgumentException.class,
                () -> CallQuality.estimate(CodecImpairment.G711_PLC, 0, 0, 20, -1, 0));
    }

    @Test
    void fromRtpReceptionWithRoundTrip() {
        ReceptionStats stats = new ReceptionStats(8000);
        long now = 0;
        // 200 packets sent, 8 lost in the middle; the receiver's buffer discarded 2 more.
        for (int seq = 1001; seq <= 1200; seq++) {
            now += 20_000_000L;
            if (seq % 25 != 10) {
                stats.onPacket(seq, seq * 160L, now);
            }
        }
        assertEquals(8, stats.cumulativeLost());
        long expected = stats.expected(); // from the first valid sequence number (RFC 3550 A.1 probation)
        assertTrue(expected >= 198 && expected <= 200, "expected " + expected);
        double oneWay = CallQuality.oneWayFromRoundTrip(OptionalLong.of(120_000_000L), 50);
        assertEquals(60, oneWay, 1e-9);
        assertEquals(50, CallQuality.oneWayFromRoundTrip(OptionalLong.empty(), 50), 1e-9);
        CallQuality q = CallQuality.fromReception(CodecImpairment.G711_PLC, stats, 2, oneWay, 40, 20);
        double loss = 100.0 * 10 / expected;
        assertEquals(100.0 * 8 / expected, q.lossPercent(), 1e-9);
        assertEquals(100.0 * 2 / expected, q.discardPercent(), 1e-9);
        assertEquals(120, q.oneWayDelayMillis(), 1e-9);
        // Id(120) = 2.88; Ie,eff = 95·Ppl/(Ppl + 25.1), about 15.8 at 5 %.
        assertEquals(93.2 - 2.88 - 95 * loss / (loss + 25.1), q.rFactor(), 1e-9);
        assertEquals(3.80, q.mos(), 0.01);
    }
}
