package io.warmline.media.bench;

import io.warmline.media.resample.Resampler;
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

/** The polyphase resampler, one 20 ms input frame of PSTN speech per operation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ResamplerBenchmark {

    /** input rate - output rate */
    @Param({"8000-16000", "16000-8000", "8000-48000", "48000-8000", "16000-48000", "48000-16000"})
    String conversion;

    private Resampler resampler;
    private FrameLoop input;
    private short[] output;
    private int inputFrame;

    @Setup
    public void setUp() {
        String[] rates = conversion.split("-");
        int in = Integer.parseInt(rates[0]);
        int out = Integer.parseInt(rates[1]);
        resampler = new Resampler(in, out);
        inputFrame = in / 50;
        input = new FrameLoop(BenchSignals.of("pstn", in), inputFrame);
        output = new short[out / 50];
    }

    @Benchmark
    public short[] process() {
        resampler.process(input.samples(), input.next(), inputFrame, output, 0);
        return output;
    }
}
