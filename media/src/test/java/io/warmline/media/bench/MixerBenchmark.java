package io.warmline.media.bench;

import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.mix.MixGroup;
import io.warmline.media.mix.Mixer;
import io.warmline.media.mix.Participant;
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
 * One 20 ms mixer tick of a conference where every participant speaks and hears all the others (the worst case: one
 * distinct mix per listener): every participant contributes a frame, the tick mixes, every group's mix is read out.
 * Divide by {@code participants} for the cost per participant.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MixerBenchmark {

    @Param({"2", "4", "8", "16"})
    int participants;

    @Param({"8000", "48000"})
    int rate;

    private Mixer mixer;
    private Participant[] members;
    private FrameLoop speech;
    private short[] out;

    @Setup
    public void setUp() {
        mixer = new Mixer(rate);
        members = new Participant[participants];
        String[] ids = new String[participants];
        for (int i = 0; i < participants; i++) {
            ids[i] = "p" + i;
            members[i] = mixer.join(ids[i]);
        }
        mixer.setMatrix(HearingMatrix.builder().conference(ids).build());
        speech = new FrameLoop(BenchSignals.of("pstn", rate), mixer.frameSamples());
        out = new short[mixer.frameSamples()];
        tick();
        tick();
    }

    @Benchmark
    public short[] tick() {
        for (Participant p : members) {
            p.contribute(speech.samples(), speech.next());
        }
        mixer.tick();
        for (int g = 0; g < mixer.groupCount(); g++) {
            MixGroup group = mixer.group(g);
            group.copyTo(out, 0);
        }
        return out;
    }
}
