package io.warmline.media.bench;

import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceEncoder;
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
 * Concentus Opus encode, one 20 ms frame per operation, over 7 s of speech played in a loop (the encoder's state runs
 * on across frames, as in a call). 24 kbit/s VBR, no FEC, so that rate, complexity and DTX are compared alone; the
 * chosen profiles are in {@link OpusProfileBenchmark}. Ten warm-up seconds: Concentus's large methods took more than
 * three on the loaded 2-core machine to reach their final compiled form (the CPU time per frame was still falling).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpusEncodeBenchmark {

    @Param({"8000", "16000", "48000"})
    int rate;

    @Param({"0", "2", "5", "10"})
    int complexity;

    @Param({"false", "true"})
    boolean dtx;

    /** pstn, tts or tone (see {@link BenchSignals#of}). */
    @Param({"pstn"})
    String signal;

    private OpusVoiceEncoder encoder;
    private FrameLoop input;
    private final byte[] packet = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];

    @Setup
    public void setUp() {
        encoder = new OpusVoiceEncoder(new OpusConfig(rate, 20, 24000, complexity, false, 0, dtx));
        input = new FrameLoop(BenchSignals.of(signal, rate), encoder.frameSamples());
    }

    @Benchmark
    public int encode() {
        return encoder.encode(input.samples(), input.next(), packet, 0, packet.length);
    }
}
