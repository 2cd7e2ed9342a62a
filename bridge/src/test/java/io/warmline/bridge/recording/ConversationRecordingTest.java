package io.warmline.bridge.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.warmline.config.RecordingConfig;
import io.warmline.config.RecordingMode;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.play.FrameSource;
import io.warmline.media.play.WavAudio;
import io.warmline.media.play.WavReader;
import io.warmline.media.time.ManualClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recorders in a real bridge on an embedded event loop, driven by fake time: two tone sources stand in for the legs
 * (the matrix treats every member by id), and each file is checked with Goertzel for exactly the tones it must hold.
 */
class ConversationRecordingTest {
    private static final int RATE = 8000;
    private static final double A_HZ = 440;
    private static final double B_HZ = 1300;

    @TempDir
    Path dir;
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private MediaBridge bridge;
    private Recorder recorder;

    @AfterEach
    void tearDown() {
        if (bridge != null) {
            bridge.close();
        }
        channel.finishAndReleaseAll();
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void theMixHearsEveryLegAndEachParticipantFileExactlyItsLeg() throws Exception {
        start();
        ConversationRecording rec = recorder.start(bridge, "conv/../7", RecordingMode.BOTH);
        bridge.setMatrix(rec.hear(HearingMatrix.builder().conference("a", "b"), List.of("a", "b")).build());
        ticks(75);
        rec.stop();
        ticks(5);
        assertTrue(recorder.awaitWritten(Duration.ofSeconds(5)));

        List<String> files = rec.view().files();
        assertEquals(3, files.size(), files.toString());
        WavAudio mix = read(files, "_mix.wav");
        WavAudio a = read(files, "_a.wav");
        WavAudio b = read(files, "_b.wav");
        assertEquals(RATE, mix.sampleRate());
        assertEquals(1500, mix.durationMillis(), 20, "75 ticks of 20 ms");
        assertTrue(power(mix, A_HZ) > 1e3 * power(mix, 1000) && power(mix, B_HZ) > 1e3 * power(mix, 1000));
        assertTrue(power(a, A_HZ) > 1e3 * power(a, B_HZ), "the caller's file holds only the caller");
        assertTrue(power(b, B_HZ) > 1e3 * power(b, A_HZ), "the callee's file holds only the callee");
        assertTrue(files.stream().allMatch(f -> f.startsWith("2026-11-21/conv_.._7-")), files.toString());
    }

    @Test
    void aLegThatLeavesHasItsFileClosedAndOneThatJoinsGetsOne() throws Exception {
        start();
        ConversationRecording rec = recorder.start(bridge, "conv-8", RecordingMode.PARTICIPANTS);
        bridge.setMatrix(rec.hear(HearingMatrix.builder(), List.of("a")).build());
        ticks(50);
        bridge.setMatrix(rec.hear(HearingMatrix.builder(), List.of("b")).build());
        ticks(25);
        rec.stop();
        assertTrue(recorder.awaitWritten(Duration.ofSeconds(5)));
        List<String> files = rec.view().files();
        assertEquals(2, files.size(), files.toString());
        assertEquals(1000, read(files, "_a.wav").durationMillis(), 20);
        assertEquals(500, read(files, "_b.wav").durationMillis(), 20);
        assertTrue(power(read(files, "_b.wav"), B_HZ) > 1e3 * power(read(files, "_b.wav"), A_HZ));
    }

    @Test
    void aDisabledRecorderRecordsNothing() {
        Recorder off = Recorder.disabled();
        assertTrue(!off.enabled());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> off.start(null, "c", RecordingMode.MIX));
    }

    private void start() throws Exception {
        recorder = Recorder.start(new RecordingConfig(dir.resolve("rec"), RecordingMode.MIX, Duration.ofHours(1),
                0, 64), Clock.fixed(Instant.parse("2026-11-21T16:10:03.123Z"), ZoneOffset.UTC));
        bridge = MediaBridge.start(channel.eventLoop(), clock, RATE);
        bridge.addSource("a", new Sine(A_HZ));
        bridge.addSource("b", new Sine(B_HZ));
    }

    /** Runs {@code n} 20 ms ticks: the bridge's timer fires on the embedded loop as its time advances. */
    private void ticks(int n) {
        for (int i = 0; i < n; i++) {
            clock.advanceMillis(20);
            channel.advanceTimeBy(20, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            channel.runPendingTasks();
        }
    }

    private WavAudio read(List<String> files, String suffix) throws Exception {
        String f = files.stream().filter(n -> n.endsWith(suffix)).findFirst().orElseThrow();
        return WavReader.read(dir.resolve("rec").resolve(f));
    }

    /** Goertzel power of {@code hz} over the whole file. */
    private static double power(WavAudio w, double hz) {
        double k = 2 * Math.cos(2 * Math.PI * hz / w.sampleRate());
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < w.length(); i++) {
            double s = w.sample(i) + k * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return (s1 * s1 + s2 * s2 - k * s1 * s2) / w.length();
    }

    private static final class Sine implements FrameSource {
        private final double step;
        private double phase;

        Sine(double hz) {
            step = 2 * Math.PI * hz / RATE;
        }

        @Override
        public int frameSamples() {
            return RATE / 50;
        }

        @Override
        public boolean readFrame(short[] out, int offset) {
            for (int i = 0; i < frameSamples(); i++) {
                out[offset + i] = (short) (6000 * Math.sin(phase));
                phase += step;
            }
            return true;
        }
    }
}
