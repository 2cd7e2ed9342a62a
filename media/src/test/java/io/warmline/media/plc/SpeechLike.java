package io.warmline.media.plc;

import java.util.Random;

/** Deterministic speech-like signal: gliding 90-250 Hz voicing with two moving formants and a syllabic envelope. */
public final class SpeechLike {

    private SpeechLike() {
    }

    public static short[] generate(int sampleRate, double seconds, long seed) {
        Random random = new Random(seed);
        short[] out = new short[(int) (sampleRate * seconds)];
        double phase = 0;
        for (int i = 0; i < out.length; i++) {
            double t = (double) i / sampleRate;
            double f0 = 170 + 80 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / sampleRate;
            double f1 = 500 + 300 * Math.sin(2 * Math.PI * 1.3 * t);
            double f2 = 1500 + 700 * Math.sin(2 * Math.PI * 0.9 * t);
            double voiced = 0;
            for (int h = 1; h * f0 < 3600; h++) {
                double f = h * f0;
                voiced += (1.0 / (1 + Math.pow((f - f1) / 150, 2)) + 0.5 / (1 + Math.pow((f - f2) / 250, 2)))
                        * Math.sin(h * phase);
            }
            double envelope = 0.3 + 0.7 * Math.max(0, Math.sin(2 * Math.PI * 2 * t));
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(6000 * envelope * voiced
                    + 40 * random.nextGaussian())));
        }
        return out;
    }
}
