package io.warmline.media.vad;

import io.warmline.media.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VoiceActivityDetectorTest {

    private static final long MS = 1_000_000L;

    /** A speech segment as the detector reported it, in milliseconds from the start of the signal. */
    record Segment(long startMs, long endMs, long silenceMs) {
    }

    static List<Segment> segments(VadConfig config, int rate, short[] signal) {
        VoiceActivityDetector vad = new VoiceActivityDetector(config, rate);
        int n = vad.frameSamples();
        List<Segment> out = new ArrayList<>();
        long start = -1;
        for (int i = 0; i + n <= signal.length; i += n) {
            long now = i * 1_000_000_000L / rate;
            VadEvent event = vad.process(signal, i, now);
            if (event == VadEvent.SPEECH_STARTED) {
                assertEquals(-1, start, "started twice");
                start = vad.speechStartNanos() / MS;
                assertTrue(vad.inSpeech());
            } else if (event == VadEvent.SPEECH_ENDED) {
                assertTrue(start >= 0, "ended before it started");
                out.add(new Segment(start, vad.speechEndNanos() / MS, vad.silenceMillis()));
                start = -1;
                assertTrue(!vad.inSpeech());
            }
        }
        if (start >= 0) {
            out.add(new Segment(start, -1, -1));
        }
        return out;
    }

    static List<Segment> segments(short[] signal) {
        return segments(VadConfig.defaults(), 8000, signal);
    }

    /** One second of near-silence (a faint line hiss) before {@code x}, as at the start of a call. */
    static short[] afterQuiet(short[] x) {
        return TestSignals.concat(TestSignals.whiteNoise(8000, 1, 3, 9), x);
    }

    @Test
    void silenceIsNotSpeech() {
        assertEquals(List.of(), segments(TestSignals.silence(8000, 5)));
        assertEquals(List.of(), segments(TestSignals.whiteNoise(8000, 5, 3, 1)));
    }

    @Test
    void speechLikePhrasesAreFoundWithTheirBoundaries() {
        // Pause 1 s, then three 1.5 s phrases each followed by 1 s of pause.
        List<Segment> found = segments(TestSignals.phrases(8000, 3, 1.5, 1.0, 30, 1));
        assertEquals(3, found.size(), found.toString());
        for (int p = 0; p < 3; p++) {
            long phraseStart = 1000 + p * 2500L;
            long phraseEnd = phraseStart + 1500;
            Segment s = found.get(p);
            assertTrue(s.startMs() >= phraseStart && s.startMs() <= phraseStart + 100, "start " + s);
            assertTrue(Math.abs(s.endMs() - phraseEnd) <= 60, "end " + s);
            assertTrue(s.silenceMs() >= 500 && s.silenceMs() <= 520, "ended after the 500 ms hangover: " + s);
        }
    }

    @Test
    void hangoverBridgesShortPausesAndIsTunable() {
        short[] phrases = TestSignals.concat(TestSignals.phrases(8000, 3, 1.5, 1.0, 30, 1),
                TestSignals.whiteNoise(8000, 1, 30, 2));
        List<Segment> one = segments(VadConfig.defaults().withHangoverMillis(1500), 8000, phrases);
        assertEquals(1, one.size(), one.toString());
        assertTrue(one.get(0).silenceMs() >= 1500);
        List<Segment> three = segments(VadConfig.defaults().withHangoverMillis(200), 8000, phrases);
        assertEquals(3, three.size(), three.toString());
        assertTrue(three.get(0).silenceMs() >= 200 && three.get(0).silenceMs() <= 220);
    }

    static Stream<Arguments> notSpeech() {
        return Stream.of(
            Arguments.of("1 kHz tone", afterQuiet(TestSignals.tones(8000, 5, 8000, 1000))),
            Arguments.of("ringback 440+480 Hz", afterQuiet(TestSignals.ringback(8000, 2))),
            Arguments.of("melody of 300 ms notes", afterQuiet(TestSignals.melody(8000, 6, 0.3, false))),
            Arguments.of("melody of 150 ms notes", afterQuiet(TestSignals.melody(8000, 6, 0.15, false))),
            Arguments.of("two-voice chords", afterQuiet(TestSignals.melody(8000, 6, 0.4, true))),
            Arguments.of("mains hum", TestSignals.hum(8000, 5, 3000)),
            Arguments.of("white line noise", TestSignals.whiteNoise(8000, 5, 300, 3)),
            Arguments.of("loud white noise", TestSignals.whiteNoise(8000, 5, 2000, 3)),
            Arguments.of("brown line noise", TestSignals.brownNoise(8000, 5, 300, 3)),
            Arguments.of("hum over brown noise", mix(TestSignals.hum(8000, 5, 2000),
                    TestSignals.brownNoise(8000, 5, 600, 7)))
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notSpeech")
    void tonesMusicAndLineNoiseAreNotSpeech(String name, short[] signal) {
        assertEquals(List.of(), segments(signal), name);
    }

    @Test
    void speechOverLineNoiseIsFound() {
        short[] noise = TestSignals.brownNoise(8000, 2, 150, 4);
        short[] speech = TestSignals.addNoise(TestSignals.phrases(8000, 2, 1.5, 1.0, 0, 2), 100, 5);
        List<Segment> found = segments(TestSignals.concat(noise, mix(speech, TestSignals.brownNoise(8000,
                speech.length / 8000.0, 150, 6))));
        assertEquals(2, found.size(), found.toString());
        assertTrue(Math.abs(found.get(0).startMs() - 3000) <= 100, found.toString());
    }

    @Test
    void aToneAfterAPromptDoesNotKeepSpeechAlive() {
        // A prompt followed straight away by a held tone: the end is reported at most maxSteady + hangover late.
        short[] prompt = TestSignals.phrases(8000, 1, 1.5, 0.5, 30, 8);
        short[] beep = TestSignals.tones(8000, 3, 8000, 1000);
        List<Segment> found = segments(TestSignals.concat(prompt, beep));
        assertEquals(1, found.size(), found.toString());
        VadConfig c = VadConfig.defaults();
        assertTrue(found.get(0).endMs() <= 2000 + c.maxSteadyMillis() + 40, found.toString());
    }

    @Test
    void worksAt16kHz() {
        List<Segment> found = segments(VadConfig.defaults(), 16000, TestSignals.phrases(16000, 2, 1.5, 1.0, 60, 3));
        assertEquals(2, found.size(), found.toString());
        assertTrue(Math.abs(found.get(1).startMs() - 3500) <= 100, found.toString());
        assertEquals(List.of(), segments(VadConfig.defaults(), 16000,
                TestSignals.concat(TestSignals.whiteNoise(16000, 1, 3, 1), TestSignals.ringback(16000, 1))));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new VoiceActivityDetector(VadConfig.defaults(), 48000));
        assertThrows(IllegalArgumentException.class, () -> new VadConfig(25, 10, -55, 2000, .35, .2, 200, 200, 8, 500));
        assertThrows(IllegalArgumentException.class, () -> new VadConfig(20, 10, -55, 2000, .35, .2, 200, 200, 11, 500));
        VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.defaults(), 8000);
        assertEquals(160, vad.frameSamples());
        assertThrows(IndexOutOfBoundsException.class, () -> vad.process(new short[100], 0, 0));
    }

    @Test
    void resetForgetsTheNoiseFloorAndTheSegment() {
        VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.defaults(), 8000);
        short[] speech = TestSignals.phrases(8000, 1, 1.5, 1.0, 30, 1);
        boolean started = false;
        for (int i = 0; i + 160 <= 16000; i += 160) {
            started |= vad.process(speech, i, i * 125_000L) == VadEvent.SPEECH_STARTED;
        }
        assertTrue(started && vad.inSpeech());
        vad.reset();
        assertTrue(!vad.inSpeech());
        assertEquals(-120, vad.noiseFloorDbfs());
    }

    static short[] mix(short[] a, short[] b) {
        short[] out = new short[Math.min(a.length, b.length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = TestSignals.clip(a[i] + b[i]);
        }
        return out;
    }

    @Test
    void steadyStateAllocatesNothing() {
        VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.defaults(), 8000);
        short[] speech = TestSignals.phrases(8000, 2, 1.5, 1.0, 30, 1);
        long[] t = {0};
        Runnable frames = () -> {
            for (int i = 0; i + 160 <= speech.length; i += 160) {
                vad.process(speech, i, t[0]);
                t[0] += 20 * MS;
            }
        };
        frames.run();
        assertTrue(Allocations.steadyStateBytes(frames) < 1024, "allocates per frame");
    }

}
