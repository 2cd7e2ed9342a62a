package io.warmline.media.plc;

import io.warmline.media.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.codec.G711;
import org.junit.jupiter.api.Test;

class G711ConcealerTest {

    private static final int FRAME = 160;
    private static final int D = G711Concealer.DELAY_SAMPLES;

    /** A voiced-vowel-like periodic signal: 12 harmonics of f0 with a formant-like emphasis around 700 Hz. */
    static short[] voiced(double f0, int samples) {
        return voiced(f0, samples, 3800);
    }

    static short[] voiced(double f0, int samples, double topHz) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            double v = 0;
            for (int h = 1; h <= 12 && h * f0 < topHz; h++) {
                double f = h * f0;
                double gain = 1.0 / (1 + Math.pow((f - 700) / 400, 2)) + 0.15;
                v += gain * Math.sin(2 * Math.PI * f * i / 8000 + 0.7 * h);
            }
            s[i] = (short) Math.round(3500 * v);
        }
        return s;
    }

    /** Runs the signal through in 20 ms frames, the frames in {@code lostFrames} being lost; returns the output. */
    static short[] conceal(G711Concealer plc, short[] signal, int... lostFrames) {
        short[] out = new short[signal.length];
        java.util.Set<Integer> lost = new java.util.HashSet<>();
        for (int f : lostFrames) {
            lost.add(f);
        }
        for (int f = 0; f * FRAME < signal.length; f++) {
            if (lost.contains(f)) {
                plc.lost(out, f * FRAME, FRAME);
            } else {
                plc.good(signal, f * FRAME, out, f * FRAME, FRAME);
            }
        }
        return out;
    }

    /** Energy of (output − original) over input samples [from, to), accounting for the output delay. */
    static double errorEnergy(short[] original, short[] out, int from, int to) {
        double e = 0;
        for (int t = from; t < to; t++) {
            double d = out[t + D] - original[t];
            e += d * d;
        }
        return e;
    }

    static double energy(short[] x, int from, int to) {
        double e = 0;
        for (int t = from; t < to; t++) {
            e += (double) x[t] * x[t];
        }
        return e;
    }

    static double rms(short[] x, int from, int to) {
        return Math.sqrt(energy(x, from, to) / (to - from));
    }

    @Test
    void goodFramesPassThroughDelayedBy375Microseconds() {
        short[] signal = voiced(150, 8000);
        short[] out = conceal(new G711Concealer(), signal);
        for (int t = 0; t + D < signal.length; t++) {
            assertEquals(signal[t], out[t + D], "sample " + t);
        }
    }

    @Test
    void findsThePitchPeriod() {
        for (int period : new int[] {40, 50, 57, 75, 99, 120}) {
            G711Concealer plc = new G711Concealer();
            conceal(plc, voiced(8000.0 / period, 1600), 9);
            assertEquals(period, plc.pitchPeriod(), "period " + period);
        }
    }

    @Test
    void concealingALostFrameBeatsSilenceByFar() {
        for (double f0 : new double[] {100, 133.3, 160, 210}) {
            short[] signal = voiced(f0, 8000);
            short[] out = conceal(new G711Concealer(), signal, 20);
            int from = 20 * FRAME;
            double silenceError = energy(signal, from, from + FRAME);
            double plcError = errorEnergy(signal, out, from, from + FRAME);
            double gainDb = 10 * Math.log10(silenceError / plcError);
            assertTrue(gainDb >= 10, "f0 " + f0 + ": concealment only " + gainDb + " dB better than silence");
        }
    }

    @Test
    void concealedSpeechKeepsItsLevelAndSpectrum() {
        // Waveform error says little once the pitch glides (a few samples of drift cost the fine structure), so
        // speech is judged by what a listener hears: the concealed frame's level and its spectral envelope.
        short[] signal = SpeechLike.generate(8000, 2.0, 3);
        byte[] coded = new byte[signal.length];
        G711.encodeUlaw(signal, 0, signal.length, coded, 0);
        G711.decodeUlaw(coded, 0, coded.length, signal, 0);
        double distanceSum = 0;
        int frames = 0;
        for (int lostFrame = 10; lostFrame < 95; lostFrame += 7) {
            short[] out = conceal(new G711Concealer(), signal, lostFrame);
            int from = lostFrame * FRAME;
            double levelDb = 10 * Math.log10(energy(out, from + D, from + D + FRAME) / energy(signal, from, from + FRAME));
            assertTrue(Math.abs(levelDb) <= 3, "frame " + lostFrame + " level off by " + levelDb + " dB");
            double[] original = bandEnergies(signal, from);
            double[] concealed = bandEnergies(out, from + D);
            double sum = 0;
            for (int b = 0; b < original.length; b++) {
                double d = 10 * Math.log10((concealed[b] + 1) / (original[b] + 1));
                sum += d * d;
            }
            distanceSum += Math.sqrt(sum / original.length);
            frames++;
        }
        double meanDistance = distanceSum / frames;
        assertTrue(meanDistance <= 4, "log-spectral distance " + meanDistance + " dB");
    }

    /** Energy in eight 500 Hz bands of a Hann-windowed 20 ms frame. */
    static double[] bandEnergies(short[] x, int from) {
        double[] bands = new double[8];
        for (int k = 1; k < FRAME / 2; k++) {
            double re = 0;
            double im = 0;
            for (int n = 0; n < FRAME; n++) {
                double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / FRAME);
                re += w * x[from + n] * Math.cos(2 * Math.PI * k * n / FRAME);
                im -= w * x[from + n] * Math.sin(2 * Math.PI * k * n / FRAME);
            }
            bands[k / 10] += re * re + im * im;
        }
        return bands;
    }

    @Test
    void attenuatesFrom10msAndIsSilentAfter60ms() {
        short[] signal = voiced(125, 8000);
        short[] out = conceal(new G711Concealer(), signal, 20, 21, 22, 23, 24);
        int start = 20 * FRAME + D;
        double level = rms(signal, 0, 8000);
        int peak = peak(signal);
        assertEquals(level, rms(out, start, start + 80), level * 0.15, "first 10 ms at full level");
        for (int block = 1; block < 6; block++) {
            // Gain falls linearly from 1 at 10 ms by 0.2 per 10 ms.
            double ceiling = (1 - 0.2 * (block - 1)) * peak * 1.05;
            double floor = (1 - 0.2 * block) * peak * 0.5;
            int blockPeak = 0;
            for (int t = start + block * 80; t < start + block * 80 + 80; t++) {
                blockPeak = Math.max(blockPeak, Math.abs(out[t]));
            }
            assertTrue(blockPeak <= ceiling, "block " + block + " too loud: " + blockPeak);
            assertTrue(blockPeak >= floor, "block " + block + " too quiet: " + blockPeak);
        }
        double tenToThirty = rms(out, start + 80, start + 240);
        double fortyToSixty = rms(out, start + 320, start + 480);
        assertTrue(fortyToSixty < 0.4 * tenToThirty, "not fading: " + tenToThirty + " -> " + fortyToSixty);
        for (int t = start + 480; t < 25 * FRAME + D; t++) {
            assertEquals(0, out[t], "sample " + (t - start) + " after the erasure began");
        }
    }

    @Test
    void joinsWithoutKinksAtBothEndsAndAtEachRepetition() {
        // Band-limited voiced signals whose periods are not whole samples: repeating a whole number of samples
        // leaves a kink at every joint unless it is overlap-added. The second difference shows kinks.
        for (double period : new double[] {44.5, 57.3, 71.5, 97.7}) {
            short[] signal = voiced(8000 / period, 8000, 450);
            int own = 0;
            for (int i = 2; i < signal.length; i++) {
                own = Math.max(own, Math.abs(signal[i] - 2 * signal[i - 1] + signal[i - 2]));
            }
            short[] out = conceal(new G711Concealer(), signal, 20, 21);
            int worst = 0;
            for (int t = 20 * FRAME; t < 23 * FRAME + D; t++) {
                worst = Math.max(worst, Math.abs(out[t] - 2 * out[t - 1] + out[t - 2]));
            }
            assertTrue(worst <= 1.5 * own, "period " + period + ": kink " + worst + " vs signal's own " + own);
        }
    }

    @Test
    void fadesInAfterALongErasure() {
        short[] signal = voiced(150, 8000);
        short[] out = conceal(new G711Concealer(), signal, 20, 21, 22, 23);
        int firstReal = 24 * FRAME + D;
        assertTrue(Math.abs(out[firstReal]) <= peak(signal) / 40, "starts near zero: " + out[firstReal]);
        for (int t = firstReal + 80; t < firstReal + 400; t++) {
            assertEquals(signal[t - D], out[t], "real signal after the 10 ms fade-in");
        }
    }

    @Test
    void frameSizeDoesNotChangeTheOutput() {
        short[] signal = voiced(140, 4000);
        short[] a = conceal(new G711Concealer(), signal, 10, 11, 15);
        G711Concealer plc = new G711Concealer();
        short[] b = new short[signal.length];
        for (int t = 0; t < signal.length; t += 40) {
            int frame = t / FRAME;
            if (frame == 10 || frame == 11 || frame == 15) {
                plc.lost(b, t, 40);
            } else {
                plc.good(signal, t, b, t, 40);
            }
        }
        assertArrayEquals(a, b);
    }

    @Test
    void inPlaceUseWorks() {
        short[] signal = voiced(150, 1600);
        short[] copy = signal.clone();
        G711Concealer plc = new G711Concealer();
        for (int f = 0; f < 10; f++) {
            plc.good(copy, f * FRAME, copy, f * FRAME, FRAME);
        }
        for (int t = 0; t + D < signal.length; t++) {
            assertEquals(signal[t], copy[t + D]);
        }
    }

    private static int peak(short[] s) {
        int p = 0;
        for (short v : s) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    @Test
    void steadyStateAllocatesNothing() {
        G711Concealer plc = new G711Concealer();
        short[] signal = voiced(150, 1600);
        short[] out = new short[FRAME];
        Runnable frames = () -> {
            for (int i = 0; i < 500; i++) {
                if (i % 5 == 4) {
                    plc.lost(out, 0, FRAME);
                } else {
                    plc.good(signal, (i % 10) * FRAME, out, 0, FRAME);
                }
            }
        };
        frames.run();
        assertTrue(Allocations.steadyStateBytes(frames) < 1024, "allocates per frame");
    }

}
