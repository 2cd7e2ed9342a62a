package io.warmline.media.bench;

import io.warmline.media.jitter.JitterBuffer;
import io.warmline.media.jitter.JitterBufferConfig;
import io.warmline.media.jitter.PlayoutFrame;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The jitter buffer per packet: one {@code offer} and one {@code poll} (one 20 ms period) per operation, on a fake
 * clock. Packets arrive with up to {@code jitterMillis} of random extra delay, so some arrive out of order and a few
 * late; 160-byte payloads (PCMA).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JitterBufferBenchmark {

    private static final long FRAME_NANOS = 20_000_000L;
    private static final int PATTERN = 1024;

    @Param({"0", "40"})
    int jitterMillis;

    private JitterBuffer buffer;
    private final byte[] payload = new byte[160];
    /** Send order permuted by the arrival jitter: the sequence offset of the packet arriving in each period. */
    private final int[] arrivalOrder = new int[PATTERN];
    private long period;

    @Setup
    public void setUp() {
        buffer = new JitterBuffer(JitterBufferConfig.voice(8000));
        Random random = new Random(7);
        long[] arrival = new long[PATTERN];
        Integer[] order = new Integer[PATTERN];
        for (int i = 0; i < PATTERN; i++) {
            arrival[i] = i * FRAME_NANOS + (jitterMillis == 0 ? 0 : random.nextInt(jitterMillis) * 1_000_000L);
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(arrival[a], arrival[b]));
        for (int i = 0; i < PATTERN; i++) {
            arrivalOrder[i] = order[i];
        }
        random.nextBytes(payload);
    }

    @Benchmark
    public PlayoutFrame offerAndPoll() {
        long now = period * FRAME_NANOS;
        long seq = period - period % PATTERN + arrivalOrder[(int) (period % PATTERN)];
        period++;
        buffer.offer(0x1234, (int) seq, seq * 160, false, payload, 0, payload.length, now);
        return buffer.poll(now + FRAME_NANOS / 2);
    }
}
