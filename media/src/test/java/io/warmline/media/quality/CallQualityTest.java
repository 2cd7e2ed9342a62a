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
        assertEquals(93.2 - 2.4 - 7.0111, q.rFactor(), 1e-3);
        assertEquals(EModel.mos(q.rFactor()), q.mos(), 1e-12);
    }

    @Test
    void fromJitterBufferCountsLossLateAndDiscards() {
        JitterBufferStats stats = new JitterBufferStats(990, 10, 5, 0, 5, 0, 980, 10, 0, 0, 0, 0, 60, 60, 12);
        CallQuality q = CallQuality.fromJitterBuffer(CodecImpairment.OPUS, stats, 30, 20);
        assertEquals(30 + 60 + 20 + 6.5, q.oneWayDelayMillis(), 1e-9);
        assertEquals(2.0, q.lossPercent(), 1e-9); // (10 + 5 + 5) / 1000
        // Opus: Ie 11 + 84·2/(2 + 20) = 18.636; Id(116.5 ms) = 2.796.
        assertEquals(93.2 - 2.796 - 18.6364, q.rFactor(), 1e-3);
        assertEquals(3.68, q.mos(), 0.005);
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
        assertEquals(loss, q.lossPercent(), 1e-9);
        assertEquals(120, q.oneWayDelayMillis(), 1e-9);
        // Id(120) = 2.88; Ie,eff = 95·Ppl/(Ppl + 25.1), about 15.8 at 5 %.
        assertEquals(93.2 - 2.88 - 95 * loss / (loss + 25.1), q.rFactor(), 1e-9);
        assertEquals(3.80, q.mos(), 0.01);
    }
}
