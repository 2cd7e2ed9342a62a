package io.warmline.media.mix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rate each mix group sums at, its switches, and what a fixed-rate reader hears across them. */
class MixRateTest {

    private static final double AMPLITUDE = 8000;

    /** A G.711 phone (8 kHz frames), a browser (listens at 16 kHz) and a 16 kHz speech source, in a 16 kHz mixer. */
    private final Mixer mixer = new Mixer(16000);
    private final Participant phone = mixer.join("phone");
    private final Participant browser = mixer.join("browser");
    private final Participant tts = mixer.join("tts");
    private long tick;

    MixRateTest() {
        phone.setAudioRate(8000);
        phone.setListenRate(8000);
        browser.setAudioRate(16000);
        browser.setListenRate(16000);
        tts.setAudioRate(16000);
    }

    /** One tick: the phone says a 1 kHz tone at 8 kHz, the browser a 600 Hz tone at 16 kHz, tts silence. */
    private void tick() {
        phone.contribute(Signals.tone(1000, AMPLITUDE, 8000, tick * 160, 160, 0), 0, 8000);
        browser.contribute(Signals.tone(600, AMPLITUDE, 16000, tick * 320, 320, 0), 0, 16000);
        tts.contribute(new short[320], 0);
        mixer.tick();
        tick++;
    }

    @Test
    void aGroupOfTelephoneBandSourcesSumsAt8kHzAndUsesG711FramesAsTheyAre() {
        mixer.setMatrix(HearingMatrix.builder().hears("browser", "phone").build());
        tick();
        tick();
        MixGroup heardByBrowser = browser.mix();
        assertEquals(8000, heardByBrowser.rate());
        assertEquals(160, heardByBrowser.frameSamples());
        short[] mix = new short[160];
        browser.readMix(mix, 0);
        assertArrayEquals(Signals.tone(1000, AMPLITUDE, 8000, 160, 160, 0), mix, "the phone's frame, not converted");
        assertEquals(8000, phone.heardAtRate(), "only an 8 kHz group hears the phone");
        assertEquals(0, browser.heardAtRate(), "nobody hears the browser");
    }

    @Test
    void aGroupWhoseListenersAreAllTelephoneBandSumsAt8kHzWhateverItHears() {
        mixer.setMatrix(HearingMatrix.builder().conference("phone", "browser").build());
        tick();
        assertEquals(8000, phone.mix().rate(), "the phone hears a wideband browser but sends 8 kHz");
        assertEquals(8000, browser.mix().rate());
        assertEquals(8000, browser.heardAtRate(), "so a decoder of the browser needs only 8 kHz");
        short[] heard = new short[160 * 20];
        for (int t = 0; t < 20; t++) {
            tick();
            phone.readMix(heard, t * 160);
        }
        // the browser's 16 kHz frames, converted down once per tick, carry its tone at full level
        assertEquals(AMPLITUDE, Signals.goertzelAmplitude(heard, 160 * 4, 160 * 16, 600, 8000), AMPLITUDE * 0.01);
    }

    @Test
    void aWidebandSourceSwitchesTheGroupOnTheNextTickAndBackWithoutAClick() {
        HearingMatrix call = HearingMatrix.builder().conference("phone", "browser").build();
        HearingMatrix withTts = call.toBuilder().hears("browser", "tts").build();
        mixer.setMatrix(call);
        MixReader reader = new MixReader(16000);
        short[] heard = new short[320 * 120];
        int[] rates = new int[120];
        for (int t = 0; t < 120; t++) {
            if (t == 40) {
                mixer.setMatrix(withTts);
            } else if (t == 80) {
                mixer.setMatrix(call);
            }
            tick();
            rates[t] = browser.mix().rate();
            System.arraycopy(reader.read(browser.mix()), 0, heard, t * 320, 320);
            if (t == 40 || t == 81) {
                assertTrue(browser.mix().switching(), "tick " + t);
            } else {
                assertFalse(browser.mix().switching(), "tick " + t);
            }
        }
        assertEquals(8000, rates[39]);
        assertEquals(16000, rates[40], "wideband from the tick the matrix applies in");
        assertEquals(16000, rates[80], "the crossfade tick still hears tts");
        assertEquals(8000, rates[81], "telephone band again on the tick after");

        // Around each switch: 2.5 ms blocks within 1 dB of the tone's level, and no step between samples more than
        // 10 % above the largest step of the steady tone (a 1 kHz tone of amplitude A at 16 kHz steps by at most
        // 2·A·sin(π·1000/16000) = 0.39·A).
        double steadyRms = AMPLITUDE / Math.sqrt(2);
        int steadyStep = Signals.maxStep(heard, 320 * 10, 320 * 30);
        for (int sw : new int[] {40, 81}) {
            for (int i = (sw - 2) * 320; i < (sw + 2) * 320; i += 40) {
                double level = Signals.rms(heard, i, 40);
                assertEquals(0, Signals.db(level / steadyRms), 1.0, "block at " + i + " (switch at tick " + sw + ")");
            }
            int step = Signals.maxStep(heard, (sw - 2) * 320, (sw + 2) * 320);
            assertTrue(step <= 1.1 * steadyStep, "step " + step + " against " + steadyStep + " at tick " + sw);
        }
    }

    @Test
    void theMeasureSeesTheClickOfASwitchWithoutTheCrossfade() {
        // the same 16 -> 8 kHz switch read by a fresh converter from the switch on, as a reader without the old
        // path would: the first block falls far below the tone's level
        mixer.setMatrix(HearingMatrix.builder().hears("browser", "phone", "tts").build());
        for (int t = 0; t < 10; t++) {
            tick();
        }
        mixer.setMatrix(HearingMatrix.builder().hears("browser", "phone").build());
        tick();
        tick();
        assertTrue(browser.mix().switching());
        double withoutOld = Signals.rms(withoutOldPath(browser.mix()), 0, 40) / (AMPLITUDE / Math.sqrt(2));
        assertTrue(Signals.db(withoutOld) < -3, "a cold converter starts low: " + Signals.db(withoutOld) + " dB");
    }

    /** The new-rate frame alone, converted by a converter with no history. */
    private static short[] withoutOldPath(MixGroup group) {
        short[] out = new short[320];
        new io.warmline.media.resample.Resampler(group.rate(), 16000).process(group.pcm, 0, group.frameSamples(),
                out, 0);
        return out;
    }

    @Test
    void aSourceThatChangesItsOwnRateIsCrossfadedInEveryGroup() {
        // the browser's decoder moves from 8 to 16 kHz: the 16 kHz group hears no jump although the conversion's
        // delay changes
        Participant recorder = mixer.join("rec");
        mixer.setMatrix(HearingMatrix.builder().hears("rec", "browser").build());
        short[] heard = new short[320 * 40];
        for (int t = 0; t < 40; t++) {
            long n8 = tick * 160;
            if (t < 20) {
                browser.contribute(Signals.tone(600, AMPLITUDE, 8000, n8, 160, 0), 0, 8000);
            } else if (t == 20) {
                browser.contributeSwitching(Signals.tone(600, AMPLITUDE, 8000, n8, 160, 0), 0, 8000,
                        Signals.tone(600, AMPLITUDE, 16000, tick * 320, 320, 0), 0, 16000);
            } else {
                browser.contribute(Signals.tone(600, AMPLITUDE, 16000, tick * 320, 320, 0), 0, 16000);
            }
            mixer.tick();
            tick++;
            assertEquals(16000, recorder.mix().rate());
            recorder.readMix(heard, t * 320);
        }
        double steadyRms = AMPLITUDE / Math.sqrt(2);
        int steadyStep = Signals.maxStep(heard, 320 * 25, 320 * 39);
        // The old path (8 kHz converted up) lags the new one (16 kHz as is) by the converter's delay, 4.2 ms: over the
        // crossfade a pure tone meets its own delayed copy, which dips its level (600 Hz: 15.8 dB at the midpoint,
        // measured) but never steps or overshoots
        for (int i = 18 * 320; i < 23 * 320; i += 40) {
            double db = Signals.db(Signals.rms(heard, i, 40) / steadyRms);
            assertTrue(db > -20 && db < 0.5, "block at " + i + ": " + db + " dB");
        }
        int step = Signals.maxStep(heard, 18 * 320, 23 * 320);
        assertTrue(step <= 1.1 * steadyStep, "step " + step + " against " + steadyStep);
    }
}
