package io.warmline.media.mix;

import io.warmline.media.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MixerTest {

    private static final double AMPLITUDE = 6000;
    /** One tone per participant; multiples of 50 Hz so each 20 ms frame holds whole cycles. */
    private static final Map<String, Double> TONES = new LinkedHashMap<>();

    static {
        TONES.put("customer", 400.0);
        TONES.put("human", 700.0);
        TONES.put("agent", 1100.0);
        TONES.put("briefing", 1650.0);
        TONES.put("comfort", 2300.0);
    }

    /** Runs {@code ticks} ticks with every participant playing its tone; returns what each participant heard. */
    private static Map<String, short[]> run(Mixer mixer, int ticks, long startTick, Set<String> silentOnes) {
        int n = mixer.frameSamples();
        Map<String, short[]> heard = new LinkedHashMap<>();
        for (String id : TONES.keySet()) {
            heard.put(id, new short[ticks * n]);
        }
        for (int t = 0; t < ticks; t++) {
            for (String id : TONES.keySet()) {
                if (!silentOnes.contains(id)) {
                    short[] frame = Signals.tone(TONES.get(id), AMPLITUDE, mixer.sampleRate(),
                            (startTick + t) * n, n, 0);
                    mixer.participant(id).contribute(frame, 0);
                }
            }
            mixer.tick();
            for (String id : TONES.keySet()) {
                mixer.participant(id).readMix(heard.get(id), t * n);
            }
        }
        return heard;
    }

    private static Mixer mixerWithAll(int rate) {
        Mixer mixer = new Mixer(rate);
        TONES.keySet().forEach(mixer::join);
        return mixer;
    }

    /** Sets {@code matrix} and runs the tick that crossfades into it (from silence, for new listeners). */
    private static void apply(Mixer mixer, HearingMatrix matrix, long tick) {
        mixer.setMatrix(matrix);
        run(mixer, 1, tick, Set.of());
    }

    /** Each listener contains exactly the tones of the sources the matrix allows; every other tone ≥ 40 dB down. */
    private static void assertHearsExactly(Map<String, short[]> heard, HearingMatrix matrix, int rate) {
        for (String listener : TONES.keySet()) {
            short[] pcm = heard.get(listener);
            for (Map.Entry<String, Double> source : TONES.entrySet()) {
                double level = Signals.goertzelAmplitude(pcm, source.getValue(), rate);
                if (matrix.hears(listener, source.getKey())) {
                    assertEquals(AMPLITUDE, level, AMPLITUDE * 0.01,
                            listener + " should hear " + source.getKey() + " at full level");
                } else {
                    assertTrue(Signals.db(level / AMPLITUDE) <= -40,
                            listener + " must not hear " + source.getKey() + ": " + Signals.db(level / AMPLITUDE)
                                    + " dB");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 48000})
    void eachListenerHearsExactlyWhomTheMatrixSays(int rate) {
        Mixer mixer = mixerWithAll(rate);
        // Bridged: customer and human hear each other, the agent listens to both and is heard by nobody.
        HearingMatrix bridged = HearingMatrix.builder()
                .conference("customer", "human")
                .hears("agent", "customer", "human")
                .build();
        apply(mixer, bridged, 0);
        Map<String, short[]> heard = run(mixer, 10, 1, Set.of());
        assertHearsExactly(heard, bridged, rate);
        assertEquals(0, Signals.rms(heard.get("briefing")), "nobody is heard by the briefing player");
    }

    @Test
    void briefingPhaseThenBridgedPhase() {
        int rate = 16000;
        Mixer mixer = mixerWithAll(rate);
        HearingMatrix briefing = HearingMatrix.builder()
                .hears("human", "briefing")
                .hears("customer", "comfort")
                .hears("agent", "customer")
                .build();
        apply(mixer, briefing, 0);
        assertHearsExactly(run(mixer, 10, 1, Set.of()), briefing, rate);

        HearingMatrix bridged = HearingMatrix.builder()
                .conference("customer", "human")
                .hears("agent", "customer", "human")
                .build();
        apply(mixer, bridged, 11);
        assertHearsExactly(run(mixer, 10, 12, Set.of()), bridged, rate);
    }

    @Test
    void nobodyHearsThemselves() {
        assertThrows(IllegalArgumentException.class, () -> HearingMatrix.builder().hears("a", "a"));
        HearingMatrix everyone = HearingMatrix.builder().conference(TONES.keySet().toArray(String[]::new)).build();
        Mixer mixer = mixerWithAll(16000);
        mixer.setMatrix(everyone);
        Map<String, short[]> heard = run(mixer, 10, 0, Set.of());
        for (String id : TONES.keySet()) {
            double own = Signals.goertzelAmplitude(heard.get(id), TONES.get(id), 16000);
            assertTrue(own < AMPLITUDE * 0.01, id + " hears itself at " + own);
        }
    }

    @Test
    void aSourceThatDoesNotContributeIsSilence() {
        Mixer mixer = mixerWithAll(16000);
        apply(mixer, HearingMatrix.builder().hears("customer", "human").hears("agent", "human", "briefing").build(), 0);
        Map<String, short[]> heard = run(mixer, 5, 1, Set.of("human"));
        assertEquals(0, Signals.rms(heard.get("customer")));
        assertTrue(mixer.participant("customer").mix().silent());
        assertFalse(mixer.participant("agent").mix().silent());
        assertEquals(AMPLITUDE, Signals.goertzelAmplitude(heard.get("agent"), 1650, 16000), AMPLITUDE * 0.01);
    }

    @Test
    void sumsSaturateInsteadOfWrapping() {
        Mixer mixer = new Mixer(8000);
        Participant a = mixer.join("a");
        Participant b = mixer.join("b");
        Participant c = mixer.join("c");
        Participant listener = mixer.join("l");
        mixer.setMatrix(HearingMatrix.builder().hears("l", "a", "b", "c").build());
        mixer.tick(); // the fade-in tick
        short[] loud = new short[160];
        short[] quiet = new short[160];
        for (int i = 0; i < 160; i++) {
            loud[i] = (short) (i % 2 == 0 ? 30000 : -30000);
            quiet[i] = (short) (i % 2 == 0 ? 100 : -100);
        }
        a.contribute(loud, 0);
        b.contribute(loud, 0);
        c.contribute(quiet, 0);
        mixer.tick();
        short[] out = new short[160];
        listener.readMix(out, 0);
        for (int i = 0; i < 160; i++) {
            assertEquals(i % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE, out[i], "sample " + i);
        }
        // Intermediate overflow that cancels out is exact: 30000 + 30000 - 30000.
        short[] negative = new short[160];
        java.util.Arrays.fill(negative, (short) -30000);
        short[] positive = new short[160];
        java.util.Arrays.fill(positive, (short) 30000);
        a.contribute(positive, 0);
        b.contribute(positive, 0);
        c.contribute(negative, 0);
        mixer.tick();
        listener.readMix(out, 0);
        assertEquals(30000, out[0]);
    }

    @Test
    void listenersWhoHearTheSameSourcesShareOneMix() {
        Mixer mixer = mixerWithAll(16000);
        // Customer and agent both hear exactly {human}; human and briefing hear nobody; comfort hears {customer}.
        mixer.setMatrix(HearingMatrix.builder()
                .hears("customer", "human")
                .hears("agent", "human")
                .hears("comfort", "customer")
                .build());
        run(mixer, 1, 0, Set.of());
        assertTrue(mixer.participant("customer").mix().crossfading(), "the first tick fades in");
        run(mixer, 1, 1, Set.of());
        Participant customer = mixer.participant("customer");
        Participant agent = mixer.participant("agent");
        assertFalse(customer.mix().crossfading());
        assertSame(customer.mix(), agent.mix());
        assertSame(mixer.participant("human").mix(), mixer.participant("briefing").mix());
        assertNotSame(customer.mix(), mixer.participant("comfort").mix());
        assertEquals(3, mixer.groupCount(), "three distinct mixes to encode");
        int listeners = 0;
        for (int g = 0; g < mixer.groupCount(); g++) {
            listeners += mixer.group(g).listenerCount();
        }
        assertEquals(5, listeners);
        assertTrue(customer.mix().hears(mixer.participant("human")));
        assertEquals(2, customer.mix().listenerCount());
        MixGroup before = customer.mix();
        run(mixer, 3, 2, Set.of());
        assertSame(before, customer.mix(), "groups are stable while nothing changes");
    }

    /** Listener hears A (a cosine at its peak at the tick boundary), then the matrix switches it to B (a sine at 0). */
    private static int maxStepAcrossSwitch(int crossfadeMillis, int[] steadyStep) {
        int rate = 16000;
        int n = 320;
        Mixer mixer = new Mixer(rate, crossfadeMillis);
        Participant a = mixer.join("a");
        Participant b = mixer.join("b");
        Participant listener = mixer.join("l");
        mixer.setMatrix(HearingMatrix.builder().hears("l", "a").build());
        int ticks = 10;
        short[] out = new short[ticks * n];
        for (int t = 0; t < ticks; t++) {
            if (t == 5) {
                mixer.setMatrix(HearingMatrix.builder().hears("l", "b").build());
            }
            // 250 Hz: exactly 5 cycles per frame, so A is at +peak at every tick boundary.
            a.contribute(Signals.tone(250, 12000, rate, (long) t * n, n, Math.PI / 2), 0);
            b.contribute(Signals.tone(300, 12000, rate, (long) t * n, n, 0), 0);
            mixer.tick();
            listener.readMix(out, t * n);
        }
        steadyStep[0] = Math.max(Signals.maxStep(out, n, 5 * n - 1), Signals.maxStep(out, 6 * n + 1, ticks * n));
        return Signals.maxStep(out, 5 * n - 1, 6 * n + 1);
    }

    @Test
    void aMatrixChangeCrossfadesWithoutAClick() {
        int[] steady = new int[1];
        int withFade = maxStepAcrossSwitch(Mixer.DEFAULT_CROSSFADE_MILLIS, steady);
        // The steepest a 300 Hz sine of 12000 moves per sample at 16 kHz is 2π·300/16000·12000 ≈ 1414.
        assertTrue(steady[0] < 1500, "steady max step " + steady[0]);
        assertTrue(withFade <= steady[0] * 1.2, "max step at the change " + withFade + " vs steady " + steady[0]);
        int abrupt = maxStepAcrossSwitch(0, steady);
        assertTrue(abrupt > 10000, "without a crossfade the switch clicks: " + abrupt);
    }

    @Test
    void leaveAndJoinTakeEffectOnTheNextTick() {
        Mixer mixer = mixerWithAll(16000);
        mixer.setMatrix(HearingMatrix.builder().hears("customer", "human", "agent").hears("late", "customer").build());
        run(mixer, 2, 0, Set.of());
        mixer.leave(mixer.participant("agent"));
        Participant late = mixer.join("late");
        int n = mixer.frameSamples();
        short[] heardByCustomer = new short[4 * n];
        short[] heardByLate = new short[4 * n];
        for (int t = 0; t < 5; t++) {
            for (String id : List.of("customer", "human", "briefing", "comfort")) {
                mixer.participant(id).contribute(Signals.tone(TONES.get(id), AMPLITUDE, 16000, (long) t * n, n, 0), 0);
            }
            mixer.tick();
            if (t > 0) {
                mixer.participant("customer").readMix(heardByCustomer, (t - 1) * n);
                late.readMix(heardByLate, (t - 1) * n);
            }
        }
        assertTrue(Signals.goertzelAmplitude(heardByCustomer, 1100, 16000) < AMPLITUDE * 0.01);
        assertEquals(AMPLITUDE, Signals.goertzelAmplitude(heardByCustomer, 700, 16000), AMPLITUDE * 0.01);
        assertEquals(AMPLITUDE, Signals.goertzelAmplitude(heardByLate, 400, 16000), AMPLITUDE * 0.01);
    }

    @Test
    void refusesBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new Mixer(44100));
        assertThrows(IllegalArgumentException.class, () -> new Mixer(16000, 21));
        Mixer mixer = new Mixer(8000);
        Participant a = mixer.join("a");
        assertThrows(IllegalArgumentException.class, () -> mixer.join("a"));
        assertThrows(IllegalStateException.class, a::mix);
        assertThrows(IndexOutOfBoundsException.class, () -> a.contribute(new short[100], 0));
        for (int i = 1; i < Mixer.MAX_PARTICIPANTS; i++) {
            mixer.join("p" + i);
        }
        assertThrows(IllegalStateException.class, () -> mixer.join("one-too-many"));
        mixer.leave(a);
        assertThrows(IllegalStateException.class, () -> a.contribute(new short[160], 0));
        assertThrows(IllegalArgumentException.class, () -> mixer.leave(a));
    }

    @Test
    void steadyStateTicksAllocateNothing() {
        Mixer mixer = mixerWithAll(48000);
        mixer.setMatrix(HearingMatrix.builder().conference("customer", "human").hears("agent", "customer", "human")
                .hears("human", "briefing").build());
        int n = mixer.frameSamples();
        short[][] frames = new short[TONES.size()][];
        int k = 0;
        for (double hz : TONES.values()) {
            frames[k++] = Signals.tone(hz, AMPLITUDE, 48000, 0, n, 0);
        }
        Participant[] all = TONES.keySet().stream().map(mixer::participant).toArray(Participant[]::new);
        short[] out = new short[n];
        Runnable ticks = () -> {
            for (int t = 0; t < 500; t++) {
                for (int p = 0; p < all.length; p++) {
                    all[p].contribute(frames[p], 0);
                }
                mixer.tick();
                for (Participant p : all) {
                    p.readMix(out, 0);
                }
            }
        };
        ticks.run();
        long bytes = Allocations.steadyStateBytes(ticks);
        assertTrue(bytes < 1024, "500 ticks allocated " + bytes + " bytes");
    }

    @Test
    void aGroupsAudioRateIsTheWidestItsMatrixLetsItHearSilentOrNot() {
        Mixer mixer = new Mixer(16000);
        Participant browser = mixer.join("browser");
        Participant phone = mixer.join("phone");
        Participant tts = mixer.join("tts");
        phone.setAudioRate(8000);
        tts.setAudioRate(48000);
        assertEquals(16000, tts.audioRate(), "wider than the mix counts as the mix rate");
        assertEquals(16000, browser.audioRate(), "undeclared: the mix rate");
        mixer.tick();
        assertEquals(8000, browser.mix().audioRate(), "hearing nobody is telephone band");

        mixer.setMatrix(HearingMatrix.builder().conference("browser", "phone").build());
        mixer.tick();
        mixer.tick();
        assertEquals(8000, browser.mix().audioRate(), "the browser hears only the phone");
        assertEquals(16000, phone.mix().audioRate(), "the phone hears the (undeclared) browser");

        browser.setAudioRate(8000);
        mixer.tick();
        assertEquals(8000, phone.mix().audioRate(), "a declaration counts from the next tick, without a regroup");

        mixer.setMatrix(HearingMatrix.builder().conference("browser", "phone").hears("browser", "tts").build());
        mixer.tick();
        assertTrue(browser.mix().crossfading());
        assertEquals(16000, browser.mix().audioRate(), "wideband from the crossfade tick on");
        mixer.tick();
        assertEquals(16000, browser.mix().audioRate(), "tts is heard even while it contributes nothing");

        mixer.setMatrix(HearingMatrix.builder().conference("browser", "phone").build());
        mixer.tick();
        assertEquals(16000, browser.mix().audioRate(), "the crossfade still carries the old sources");
        mixer.tick();
        assertEquals(8000, browser.mix().audioRate());
        assertThrows(IllegalArgumentException.class, () -> phone.setAudioRate(12000));
    }
}
