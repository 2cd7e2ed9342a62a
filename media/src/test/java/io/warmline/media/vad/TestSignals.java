package io.warmline.media.vad;

import io.warmline.media.plc.SpeechLike;
import java.util.Random;

/** Synthetic test audio at 8 kHz unless stated: speech-like phrases, tones and music-like notes, line noise. */
final class TestSignals {

    private TestSignals() {
    }

    static short[] silence(int rate, double seconds) {
        return new short[(int) (rate * seconds)];
    }

    /** Speech-like phrases of {@code speech} seconds separated by {@code pause} seconds of silence, over noise. */
    static short[] phrases(int rate, int count, double speech, double pause, double noiseRms, long seed) {
        short[] voice = SpeechLike.generate(rate, speech * count, seed);
        int speechLen = (int) (rate * speech);
        int pauseLen = (int) (rate * pause);
        short[] out = new short[pauseLen + count * (speechLen + pauseLen)];
        for (int p = 0; p < count; p++) {
            System.arraycopy(voice, p * speechLen, out, pauseLen + p * (speechLen + pauseLen), speechLen);
        }
        return addNoise(out, noiseRms, seed + 1);
    }

    static short[] addNoise(short[] x, double rms, long seed) {
        Random random = new Random(seed);
        short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = clip(x[i] + rms * random.nextGaussian());
        }
        return out;
    }

    /** Sum of sines (frequencies in Hz, equal amplitudes summing to {@code peak}). */
    static short[] tones(int rate, double seconds, double peak, double... frequencies) {
        short[] out = new short[(int) (rate * seconds)];
        for (int i = 0; i < out.length; i++) {
            double v = 0;
            for (double f : frequencies) {
                v += Math.sin(2 * Math.PI * f * i / rate);
            }
            out[i] = clip(peak * v / frequencies.length);
        }
        return out;
    }

    /** North American ringback: 440 + 480 Hz, 2 s on, 4 s off. */
    static short[] ringback(int rate, int cycles) {
        short[] on = tones(rate, 2, 8000, 440, 480);
        short[] out = new short[cycles * 6 * rate];
        for (int c = 0; c < cycles; c++) {
            System.arraycopy(on, 0, out, c * 6 * rate, on.length);
        }
        return out;
    }

    /**
     * A music-like melody: notes of {@code noteSeconds} with three harmonics each, a 10 ms attack and a decaying
     * envelope, optionally with a second voice a fifth above.
     */
    static short[] melody(int rate, double seconds, double noteSeconds, boolean chords) {
        double[] scale = {261.6, 293.7, 329.6, 349.2, 392.0, 440.0, 493.9, 523.3};
        short[] out = new short[(int) (rate * seconds)];
        int noteLen = (int) (rate * noteSeconds);
        for (int i = 0; i < out.length; i++) {
            int note = i / noteLen;
            double t = (double) (i % noteLen) / rate;
            double f = scale[(note * 3) % scale.length];
            double env = Math.min(1, t / 0.01) * Math.exp(-1.5 * t);
            double v = Math.sin(2 * Math.PI * f * t) + 0.5 * Math.sin(4 * Math.PI * f * t)
                    + 0.25 * Math.sin(6 * Math.PI * f * t);
            if (chords) {
                v += Math.sin(2 * Math.PI * 1.5 * f * t) + 0.5 * Math.sin(6 * Math.PI * f * t);
            }
            out[i] = clip(5000 * env * v);
        }
        return out;
    }

    /** Mains hum: 50 Hz and its odd harmonics. */
    static short[] hum(int rate, double seconds, double peak) {
        return tones(rate, seconds, peak, 50, 150, 250, 350);
    }

    static short[] whiteNoise(int rate, double seconds, double rms, long seed) {
        return addNoise(new short[(int) (rate * seconds)], rms, seed);
    }

    /** Low-pass ("brown") noise: integrated white noise with a leak. */
    static short[] brownNoise(int rate, double seconds, double rms, long seed) {
        Random random = new Random(seed);
        double[] y = new double[(int) (rate * seconds)];
        double s = 0;
        double energy = 0;
        for (int i = 0; i < y.length; i++) {
            s = 0.98 * s + random.nextGaussian();
            y[i] = s;
            energy += s * s;
        }
        double scale = rms / Math.sqrt(energy / y.length);
        short[] out = new short[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = clip(y[i] * scale);
        }
        return out;
    }

    static short[] concat(short[]... parts) {
        int n = 0;
        for (short[] p : parts) {
            n += p.length;
        }
        short[] out = new short[n];
        int o = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    static short clip(double v) {
        return (short) Math.max(-32768, Math.min(32767, Math.round(v)));
    }
}
