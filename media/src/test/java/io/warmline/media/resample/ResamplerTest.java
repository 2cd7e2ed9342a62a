package io.warmline.media.resample;

import io.warmline.media.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    /** Figures promised in the Javadoc of {@link Resampler}. */
    private static final double PASSBAND_RIPPLE_DB = 0.005;
    private static final double STOPBAND_ATTENUATION_DB = 80.0;
    private static final double AMPLITUDE = 16000;

    @ParameterizedTest
    @CsvSource({"8000,16000", "8000,48000", "16000,48000", "16000,8000", "48000,8000", "48000,16000"})
    void passbandIsFlatUpTo0425OfTheLowerRate(int in, int out) {
        int low = Math.min(in, out);
        double worst = 0;
        for (int f = 50; f <= Resampler.PASS_EDGE * low; f += 50) {
            double gainDb = 20 * Math.log10(measureTone(in, out, f).amplitude / AMPLITUDE);
            worst = Math.max(worst, Math.abs(gainDb));
        }
        assertTrue(worst <= PASSBAND_RIPPLE_DB, in + "->" + out + " passband deviation " + worst + " dB");
    }

    @ParameterizedTest
    @CsvSource({"16000,8000", "48000,8000", "48000,16000"})
    void decimationAttenuatesEverythingAboveHalfTheOutputRate(int in, int out) {
        double worstDb = Double.POSITIVE_INFINITY;
        for (int f = out / 2; f < in / 2; f += 100) {
            Measured m = measureTone(in, out, f);
            double levelDb = 20 * Math.log10(m.rms / (AMPLITUDE / Math.sqrt(2)));
            worstDb = Math.min(worstDb, -levelDb);
        }
        assertTrue(worstDb >= STOPBAND_ATTENUATION_DB, in + "->" + out + " aliases only " + worstDb + " dB down");
    }

    @ParameterizedTest
    @CsvSource({"8000,16000", "8000,48000", "16000,48000"})
    void interpolationImagesOfPassbandTonesAreFarDown(int in, int out) {
        double worstDb = Double.POSITIVE_INFINITY;
        for (int f = 50; f <= Resampler.PASS_EDGE * in; f += 50) {
            Measured m = measureTone(in, out, f);
            worstDb = Math.min(worstDb, -20 * Math.log10(m.residualRms / (AMPLITUDE / Math.sqrt(2))));
        }
        assertTrue(worstDb >= STOPBAND_ATTENUATION_DB, in + "->" + out + " images only " + worstDb + " dB down");
    }

    @ParameterizedTest
    @CsvSource({"8000,16000", "8000,48000", "16000,48000", "16000,8000", "48000,8000", "48000,16000", "8000,8000"})
    void framesOf20msAndOddChunksGiveTheSameOutputAsOneCall(int in, int out) {
        short[] signal = tone(in, 997, 0.5);
        short[] whole = new short[signal.length * out / in];
        Resampler once = new Resampler(in, out);
        assertEquals(whole.length, once.process(signal, 0, signal.length, whole, 0));

        for (int chunk : new int[] {in / 50, 7, 1, 333}) {
            Resampler framed = new Resampler(in, out);
            short[] pieces = new short[whole.length];
            int o = 0;
            for (int i = 0; i < signal.length; i += chunk) {
                int n = Math.min(chunk, signal.length - i);
                int expected = framed.outputLength(n);
                int written = framed.process(signal, i, n, pieces, o);
                assertEquals(expected, written);
                o += written;
            }
            assertEquals(whole.length, o);
            assertArrayEquals(whole, pieces, "chunk " + chunk);
        }
    }

    @Test
    void twentyMillisecondFramesMapToTwentyMillisecondFrames() {
        assertEquals(960, new Resampler(8000, 48000).outputLength(160));
        assertEquals(320, new Resampler(48000, 16000).outputLength(960));
        Resampler down = new Resampler(48000, 8000);
        assertEquals(0, down.process(new short[5], 0, 5, new short[0], 0));
        assertEquals(1, down.outputLength(1), "the sixth sample completes an output");
    }

    @Test
    void constantInputComesOutAtTheSameLevel() {
        for (int[] pair : new int[][] {{8000, 48000}, {48000, 8000}, {16000, 8000}}) {
            Resampler r = new Resampler(pair[0], pair[1]);
            short[] in = new short[pair[0] / 10];
            Arrays.fill(in, (short) 12345);
            short[] out = new short[r.outputLength(in.length)];
            r.process(in, 0, in.length, out, 0);
            assertEquals(12345, out[out.length - 1], 1, Arrays.toString(pair));
        }
    }

    @Test
    void resetForgetsThePreviousStream() {
        Resampler r = new Resampler(8000, 16000);
        short[] loud = tone(8000, 440, 0.1);
        short[] scratch = new short[loud.length * 2];
        r.process(loud, 0, loud.length, scratch, 0);
        r.reset();
        short[] silence = new short[160];
        short[] out = new short[320];
        r.process(silence, 0, silence.length, out, 0);
        assertArrayEquals(new short[320], out);
    }

    @Test
    void fullScaleOvershootSaturatesInsteadOfWrapping() {
        Resampler r = new Resampler(8000, 48000);
        short[] square = new short[800];
        for (int i = 0; i < square.length; i++) {
            square[i] = (i / 4) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        short[] out = new short[r.outputLength(square.length)];
        r.process(square, 0, square.length, out, 0);
        for (int i = 1; i < out.length; i++) {
            assertTrue(Math.abs(out[i] - out[i - 1]) < 40000, "wrapped at " + i);
        }
    }

    @Test
    void refusesUnsupportedRatesAndShortOutput() {
        assertThrows(IllegalArgumentException.class, () -> new Resampler(44100, 48000));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(8000, 32000));
        Resampler r = new Resampler(8000, 16000);
        assertThrows(IndexOutOfBoundsException.class, () -> r.process(new short[160], 0, 160, new short[319], 0));
    }

    @Test
    void delayIsHalfTheFilterLength() {
        Resampler up = new Resampler(8000, 48000);
        Resampler down = new Resampler(48000, 8000);
        int n = Resampler.designLength(6);
        assertEquals((n - 1) / 2.0, up.delayOutputSamples());
        assertEquals((n - 1) / 2.0 / 6, down.delayOutputSamples());
        // An impulse comes out centred on the stated delay.
        short[] impulse = new short[400];
        impulse[0] = 10000;
        short[] out = new short[2400];
        up.process(impulse, 0, impulse.length, out, 0);
        int peak = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] > out[peak]) {
                peak = i;
            }
        }
        assertEquals(up.delayOutputSamples(), peak, 0.5);
    }

    static short[] tone(int rate, double frequency, double seconds) {
        short[] s = new short[(int) Math.round(rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * frequency * i / rate));
        }
        return s;
    }

    private record Measured(double amplitude, double rms, double residualRms) {
    }

    /**
     * Resamples 60 ms of a tone and measures a 20 ms window after the filter has settled: the tone's amplitude by
     * projection on sine and cosine (exact for a whole number of periods, as frequencies are multiples of 50 Hz), the
     * window's RMS, and the RMS of what is left after removing the fitted tone.
     */
    private static Measured measureTone(int in, int out, double frequency) {
        Resampler r = new Resampler(in, out);
        short[] x = tone(in, frequency, 0.06);
        short[] y = new short[r.outputLength(x.length)];
        r.process(x, 0, x.length, y, 0);
        int start = (int) (0.03 * out);
        int n = out / 50;
        double c = 0;
        double s = 0;
        double energy = 0;
        for (int i = start; i < start + n; i++) {
            double w = 2 * Math.PI * frequency * i / out;
            c += y[i] * Math.cos(w);
            s += y[i] * Math.sin(w);
            energy += (double) y[i] * y[i];
        }
        c *= 2.0 / n;
        s *= 2.0 / n;
        double residual = 0;
        for (int i = start; i < start + n; i++) {
            double w = 2 * Math.PI * frequency * i / out;
            double e = y[i] - c * Math.cos(w) - s * Math.sin(w);
            residual += e * e;
        }
        return new Measured(Math.hypot(c, s), Math.sqrt(energy / n), Math.sqrt(residual / n));
    }

    @Test
    void steadyStateAllocatesNothing() {
        Resampler up = new Resampler(8000, 48000);
        Resampler down = new Resampler(48000, 8000);
        short[] in = tone(8000, 440, 0.02);
        short[] mid = new short[960];
        short[] out = new short[160];
        Runnable frames = () -> {
            for (int i = 0; i < 500; i++) {
                up.process(in, 0, 160, mid, 0);
                down.process(mid, 0, 960, out, 0);
            }
        };
        frames.run();
        assertTrue(Allocations.steadyStateBytes(frames) < 1024, "allocates per frame");
    }

}
