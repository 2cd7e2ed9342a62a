package io.warmline.media.codec;

import java.util.Random;

/** Deterministic speech-like test signal and the segmental SNR measure used by codec tests. */
final class SpeechLikeSignal {

    private SpeechLikeSignal() {
    }

    /**
     * Voiced "syllables": a gliding 90-250 Hz fundamental with harmonics shaped by two formant-like peaks, a
     * 2 Hz syllabic envelope with pauses, and a little noise; peak normalised to -6 dBFS.
     */
    static short[] generate(int sampleRate, double seconds, long seed) {
        Random random = new Random(seed);
        int n = (int) (sampleRate * seconds);
        double[] raw = new double[n];
        double phase = 0;
        double peak = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / sampleRate;
            double f0 = 170 + 80 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / sampleRate;
            double formant1 = 500 + 300 * Math.sin(2 * Math.PI * 1.3 * t);
            double formant2 = 1500 + 700 * Math.sin(2 * Math.PI * 0.9 * t);
            double voiced = 0;
            for (int h = 1; h * f0 < 3600; h++) {
                double f = h * f0;
                double gain = 1.0 / (1 + Math.pow((f - formant1) / 150, 2)) + 0.5 / (1 + Math.pow((f - formant2) / 250, 2));
                voiced += gain * Math.sin(h * phase);
            }
            double envelope = Math.max(0, Math.sin(2 * Math.PI * 2 * t));
            raw[i] = envelope * voiced + 0.005 * random.nextGaussian();
            peak = Math.max(peak, Math.abs(raw[i]));
        }
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            out[i] = (short) Math.round(raw[i] / peak * 16384);
        }
        return out;
    }

    /** Mean per-frame SNR in dB over frames carrying signal (frames below -50 dBFS are skipped, as is usual). */
    static double segmentalSnrDb(short[] reference, short[] decoded, int frame) {
        double sum = 0;
        int frames = 0;
        for (int start = 0; start + frame <= reference.length; start += frame) {
            double signal = 0;
            double noise = 0;
            for (int i = start; i < start + frame; i++) {
                signal += (double) reference[i] * reference[i];
                double e = reference[i] - decoded[i];
                noise += e * e;
            }
            double rms = Math.sqrt(signal / frame);
            if (rms < 32768 * Math.pow(10, -50 / 20.0)) {
                continue;
            }
            double snr = noise == 0 ? 60 : 10 * Math.log10(signal / noise);
            sum += Math.min(60, Math.max(-10, snr));
            frames++;
        }
        if (frames == 0) {
            throw new IllegalArgumentException("no active frames");
        }
        return sum / frames;
    }
}
