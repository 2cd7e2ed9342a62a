package io.warmline.media.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.play.PcmPlayer;
import io.warmline.media.play.ToneGenerator;
import io.warmline.media.play.ToneSpec;
import io.warmline.media.play.WavReader;
import io.warmline.media.record.WavRecorder;
import io.warmline.media.time.ManualClock;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escalation's hearing phases (DESIGN.md) on one bridge, stepped through fake time by a {@link MediaClock}:
 * legs, a comfort tone, a speech player and a recorder as participants; each listener checked per phase.
 */
class BridgePhasesTest {

    private static final int RATE = 16000;
    private static final int N = 320;
    private static final double LEG = 5000;

    private final Mixer mixer = new Mixer(RATE);
    private final Map<String, Participant> p = new LinkedHashMap<>();
    private final ToneGenerator comfort = new ToneGenerator(new ToneSpec(1100, 0, -20, 1000, 0), RATE);
    private final PcmPlayer briefing = new PcmPlayer(8000, RATE, 5000);
    private final short[] frame = new short[N];
    private long tick;

    BridgePhasesTest() {
        for (String id : new String[] {"customer", "human", "agent", "comfort", "briefing", "recorder"}) {
            p.put(id, mixer.join(id));
        }
    }

    /** Runs the bridge for {@code millis} of fake time; returns what each participant heard after the first tick. */
    private Map<String, short[]> runPhase(ManualClock clock, MediaClock media, int millis, Random lateness) {
        int ticks = millis / 20;
        Map<String, short[]> heard = new LinkedHashMap<>();
        p.keySet().forEach(id -> heard.put(id, new short[(ticks - 1) * N]));
        int done = 0;
        while (done < ticks) {
            clock.advanceNanos(media.delayUntilNext(clock.nanoTime()) + lateness.nextInt(8) * 1_000_000L);
            for (int due = media.ticksDue(clock.nanoTime()); due > 0 && done < ticks; due--, done++) {
                p.get("customer").contribute(Signals.tone(400, LEG, RATE, tick * N, N, 0), 0);
                p.get("human").contribute(Signals.tone(700, LEG, RATE, tick * N, N, 0), 0);
                comfort.readFrame(frame, 0);
                p.get("comfort").contribute(frame, 0);
                if (briefing.readFrame(frame, 0)) {
                    p.get("briefing").contribute(frame, 0);
                }
                mixer.tick();
                tick++;
                if (done > 0) {
                    for (Map.Entry<String, short[]> e : heard.entrySet()) {
                        p.get(e.getKey()).readMix(e.getValue(), (done - 1) * N);
                    }
                }
            }
        }
        return heard;
    }

    private static void assertHears(short[] pcm, double hz, double amplitude, String what) {
        assertEquals(amplitude, Signals.goertzelAmplitude(pcm, hz, RATE), amplitude * 0.02, what);
    }

    private static void assertDoesNotHear(short[] pcm, double hz, String what) {
        assertTrue(Signals.goertzelAmplitude(pcm, hz, RATE) < LEG * 0.01, what);
    }

    @Test
    void navigatingThenBriefingThenConnected(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock(1_000_000_000L);
        MediaClock media = new MediaClock(clock);
        Random lateness = new Random(5);
        double comfortLevel = 32767 * Math.pow(10, -20 / 20.0);

        // Navigating the IVR: only the automation hears the support line; the customer hears comfort audio.
        mixer.setMatrix(HearingMatrix.builder().hears("agent", "human").hears("customer", "comfort").build());
        Map<String, short[]> ivr = runPhase(clock, media, 1000, lateness);
        assertHears(ivr.get("agent"), 700, LEG, "automation hears the IVR");
        assertDoesNotHear(ivr.get("agent"), 400, "automation does not hear the customer");
        assertHears(ivr.get("customer"), 1100, comfortLevel, "customer hears comfort");
        assertDoesNotHear(ivr.get("customer"), 700, "customer does not hear the IVR");
        assertEquals(0, Signals.rms(ivr.get("human")), "the support line hears nothing");

        // Briefing: the human hears the speech player only; the customer still hears comfort audio.
        short[] speech = Signals.tone(1650 / 2.0, 6000, 8000, 0, 8000, 0); // 825 Hz at 8 kHz, 1 s
        briefing.push(speech, 0, speech.length);
        briefing.finish();
        mixer.setMatrix(HearingMatrix.builder().hears("human", "briefing").hears("customer", "comfort").build());
        Map<String, short[]> brief = runPhase(clock, media, 800, lateness);
        assertHears(brief.get("human"), 825, 6000, "human hears the briefing");
        assertDoesNotHear(brief.get("human"), 400, "human does not hear the customer yet");
        assertDoesNotHear(brief.get("customer"), 825, "customer does not hear the briefing");
        assertHears(brief.get("customer"), 1100, comfortLevel, "customer still hears comfort");

        // Connected: customer and human hear each other; the agent listens to both and is heard by nobody.
        mixer.setMatrix(HearingMatrix.builder().conference("customer", "human").hears("agent", "customer", "human")
                .hears("recorder", "customer", "human").build());
        Path file = dir.resolve("bridge.wav");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            WavRecorder recorder = new WavRecorder(channel, RATE);
            Map<String, short[]> connected = runPhase(clock, media, 1000, lateness);
            assertHears(connected.get("customer"), 700, LEG, "customer hears the human");
            assertDoesNotHear(connected.get("customer"), 1100, "comfort audio stopped");
            assertHears(connected.get("human"), 400, LEG, "human hears the customer");
            assertDoesNotHear(connected.get("human"), 825, "the briefing is over");
            assertHears(connected.get("agent"), 400, LEG, "agent hears the customer");
            assertHears(connected.get("agent"), 700, LEG, "agent hears the human");
            assertSame(p.get("agent").mix(), p.get("recorder").mix(), "agent and recorder share one mix");
            short[] recorded = connected.get("recorder");
            recorder.write(recorded, 0, recorded.length);
            recorder.close();
        }
        short[] fromFile = WavReader.read(file).samples();
        assertHears(fromFile, 400, LEG, "the recording has the customer");
        assertHears(fromFile, 700, LEG, "the recording has the human");
        assertEquals(0, media.skippedTicks(), "wake-ups up to 7 ms late never skip a tick");
    }
}
