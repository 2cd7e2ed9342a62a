package io.warmline.media.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.warmline.media.jitter.JitterBufferStats;
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
}
