package io.warmline.media.play;

import io.warmline.media.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.mix.Signals;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToneGeneratorTest {

    private static short[] play(ToneGenerator generator, int seconds) {
        int n = generator.frameSamples();
        short[] out = new short[seconds * 50 * n];
        for (int f = 0; f < seconds * 50; f++) {
            assertTrue(generator.readFrame(out, f * n));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 48000})
    void ringbackIs440Plus480TwoSecondsOnFourOff(int rate) {
        short[] out = play(new ToneGenerator(ToneSpec.RINGBACK, rate), 12);
        double expected = 32767 * Math.pow(10, -19 / 20.0);
        for (int cycle = 0; cycle < 2; cycle++) {
            int on = cycle * 6 * rate;
            // One second inside the "on" period: whole cycles of both tones.
            assertEquals(expected, Signals.goertzelAmplitude(out, on + rate / 2, rate, 440, rate), expected * 0.01);
            assertEquals(expected, Signals.goertzelAmplitude(out, on + rate / 2, rate, 480, rate), expected * 0.01);
            assertTrue(Signals.goertzelAmplitude(out, on + rate / 2, rate, 1000, rate) < expected / 1000);
            assertTrue(Signals.rms(out, on + 5 * rate / 1000, 1990 * rate / 1000) > expected * 0.9);
            // Silent from 2 s to 6 s.
            assertEquals(0, Signals.rms(out, on + 2 * rate, 4 * rate), "off period of cycle " + cycle);
        }
        // The edges are ramped: no step larger than the steepest slope of the two sines themselves.
        double steepest = 2 * Math.PI * (440 + 480) / rate * expected;
        assertTrue(Signals.maxStep(out, 0, out.length) <= steepest * 1.02 + 1,
                "max step " + Signals.maxStep(out, 0, out.length) + " vs " + steepest);
    }

    @Test
    void comfortToneIsConfigurable() {
        ToneSpec spec = ToneSpec.comfort(600, -30, 300, 700);
        short[] out = play(new ToneGenerator(spec, 16000), 3);
        double expected = 32767 * Math.pow(10, -30 / 20.0);
        for (int cycle = 0; cycle < 3; cycle++) {
            int start = cycle * 16000;
            // 200 ms in the middle of the 300 ms burst: 120 whole cycles of 600 Hz.
            assertEquals(expected, Signals.goertzelAmplitude(out, start + 800, 3200, 600, 16000), expected * 0.01);
            assertEquals(0, Signals.rms(out, start + 300 * 16, 700 * 16));
        }
        short[] defaultComfort = play(new ToneGenerator(ToneSpec.comfort(), 8000), 3);
        assertTrue(Signals.rms(defaultComfort, 0, 1600) > 0);
        assertEquals(0, Signals.rms(defaultComfort, 1600, 8000 * 28 / 10));
    }

    @Test
    void continuousToneAndFrameJoinsAreSeamless() {
        ToneSpec steady = new ToneSpec(1000, 0, -6, 1000, 0);
        ToneGenerator byFrames = new ToneGenerator(steady, 8000);
        short[] framed = play(byFrames, 2);
        short[] whole = new short[framed.length];
        new ToneGenerator(steady, 8000).read(whole, 0, whole.length);
        assertArrayEquals(whole, framed);
        double amplitude = 32767 * Math.pow(10, -6 / 20.0);
        assertEquals(amplitude, Signals.goertzelAmplitude(framed, 1000, 8000), amplitude * 0.001);
        assertTrue(Signals.maxStep(framed, 0, framed.length) <= 2 * Math.PI * 1000 / 8000 * amplitude + 1);
    }

    @Test
    void refusesImpossibleTones() {
        assertThrows(IllegalArgumentException.class, () -> new ToneSpec(0, 0, -10, 100, 0));
        assertThrows(IllegalArgumentException.class, () -> new ToneSpec(440, 0, 3, 100, 0));
        assertThrows(IllegalArgumentException.class, () -> new ToneSpec(440, 0, -10, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new ToneGenerator(ToneSpec.comfort(5000, -20, 100, 0), 8000));
        assertThrows(IllegalArgumentException.class, () -> new ToneGenerator(ToneSpec.RINGBACK, 44100));
    }

    @Test
    void framesAllocateNothing() {
        ToneGenerator generator = new ToneGenerator(ToneSpec.RINGBACK, 48000);
        short[] out = new short[960];
        Runnable frames = () -> {
            for (int i = 0; i < 500; i++) {
                generator.readFrame(out, 0);
            }
        };
        frames.run();
        assertTrue(Allocations.steadyStateBytes(frames) < 1024);
    }
}
