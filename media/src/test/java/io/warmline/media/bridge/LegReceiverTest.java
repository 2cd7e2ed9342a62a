package io.warmline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warmline.media.jitter.JitterBufferStats;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A G.711 leg whose packets are longer than the bridge's 20 ms tick, or not aligned with it: nothing is lost on the
 * network, so nothing may be concealed, stretched or dropped once the jitter buffer has settled. The bridge plays two
 * 10 ms frames per tick, so the second frame of each tick must already be buffered 10 ms before it is heard. The RTP
 * timestamp may wrap (RFC 3550 §5.1) in the middle of the call: that is no discontinuity either.
 */
class LegReceiverTest {

    private static final long MS = 1_000_000L;

    /** A first timestamp whose 32-bit RTP timestamp wraps 4 s into the call, after the buffer has settled. */
    private static final long WRAPS_AT_4S = (1L << 32) - 4 * 8000;

    @ParameterizedTest(name = "{0} ms packets, {1} ms jitter, arrival offset {2} ms, first timestamp {3}")
    @CsvSource({"20, 0, 0, 0", "20, 0, 7, 0", "20, 4, 3, 0", "30, 0, 0, 0", "30, 0, 11, 0", "30, 4, 5, 0",
            "40, 0, 13, 0", "60, 3, 9, 0", "20, 0, 0, " + WRAPS_AT_4S, "30, 4, 5, " + WRAPS_AT_4S,
            "60, 3, 9, " + WRAPS_AT_4S})
    void packetsOfAnyPtimeArrivingOnTimeAreNeverConcealed(int ptimeMs, int jitterMs, int offsetMs, long firstTimestamp) {
        LegReceiver receiver = new LegReceiver(false, 8000);
        Random random = new Random(ptimeMs * 31L + jitterMs);
        short[] mix = new short[160];
        byte[] payload = new byte[ptimeMs * 8];
        java.util.Arrays.fill(payload, (byte) 0x55);
        long start = 1_000 * MS;
        long tick = start;
        long concealedAfterSettling = -1;
        JitterBufferStats settled = null;
        int packets = 12_000 / ptimeMs;
        for (int p = 0; p < packets; p++) {
            long arrival = start + (long) p * ptimeMs * MS + offsetMs * MS + random.nextInt(jitterMs * 1000 + 1) * 1000L;
            while (tick <= arrival) {
                receiver.pull(tick, mix);
                tick += 20 * MS;
                if (concealedAfterSettling < 0 && tick - start >= 2_000 * MS) {
                    concealedAfterSettling = receiver.concealed;
                    settled = receiver.jitter.stats();
                }
            }
            long timestamp = (firstTimestamp + (long) p * ptimeMs * 8) & 0xFFFF_FFFFL;
            receiver.offer(LegCodec.Encoding.PCMA, 7, p, timestamp, p == 0, payload, payload.length, arrival);
        }
        JitterBufferStats end = receiver.jitter.stats();
        assertEquals(0, end.lost() + end.late(), "the network lost nothing: " + end);
        assertEquals(concealedAfterSettling, receiver.concealed,
                "frames concealed after the first 2 s: " + (receiver.concealed - concealedAfterSettling) + "; " + end);
        assertEquals(settled.expanded(), end.expanded(), "stretched after settling: " + end);
        assertEquals(settled.accelerated(), end.accelerated(), "shortened after settling: " + end);
    }
}
