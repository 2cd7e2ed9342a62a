package io.warmline.media.bench;

import io.warmline.media.codec.G711;
import io.warmline.media.plc.G711Concealer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * G.711 and its concealment, one 20 ms frame (160 samples) of PSTN speech per operation: the reference the Opus
 * figures are compared with.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class G711Benchmark {

    private static final int FRAME = 160;

    private FrameLoop speech;
    private byte[] ulaw;
    private byte[] alaw;
    private final byte[] encoded = new byte[FRAME];
    private final short[] decoded = new short[FRAME];
    private final G711Concealer concealer = new G711Concealer();
    private int frameCount;

    @Setup
    public void setUp() {
        short[] pcm = BenchSignals.of("pstn", 8000);
        speech = new FrameLoop(pcm, FRAME);
        ulaw = new byte[pcm.length];
        alaw = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, pcm.length, ulaw, 0);
        G711.encodeAlaw(pcm, 0, pcm.length, alaw, 0);
    }

    @Benchmark
    public byte[] encodeUlaw() {
        G711.encodeUlaw(speech.samples(), speech.next(), FRAME, encoded, 0);
        return encoded;
    }

    @Benchmark
    public byte[] encodeAlaw() {
        G711.encodeAlaw(speech.samples(), speech.next(), FRAME, encoded, 0);
        return encoded;
    }

    @Benchmark
    public short[] decodeUlaw() {
        G711.decodeUlaw(ulaw, speech.next(), FRAME, decoded, 0);
        return decoded;
    }

    @Benchmark
    public short[] decodeAlaw() {
        G711.decodeAlaw(alaw, speech.next(), FRAME, decoded, 0);
        return decoded;
    }

    /** A received frame through the concealer (history kept, output 3.75 ms late). */
    @Benchmark
    public short[] concealerGoodFrame() {
        G711.decodeAlaw(alaw, speech.next(), FRAME, decoded, 0);
        concealer.good(decoded, 0, decoded, 0, FRAME);
        return decoded;
    }

    /** Decode plus concealer with every fifth frame lost: each loss starts an erasure (pitch search, then repair). */
    @Benchmark
    public short[] concealerOneFrameInFiveLost() {
        int offset = speech.next();
        if (++frameCount % 5 == 0) {
            concealer.lost(decoded, 0, FRAME);
        } else {
            G711.decodeAlaw(alaw, offset, FRAME, decoded, 0);
            concealer.good(decoded, 0, decoded, 0, FRAME);
        }
        return decoded;
    }
}
