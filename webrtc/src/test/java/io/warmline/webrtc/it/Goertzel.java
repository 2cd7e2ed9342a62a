package io.warmline.webrtc.it;

/** Relative power of one frequency in a block of 16-bit PCM (the Goertzel recurrence), for tone checks in tests. */
final class Goertzel {

    private Goertzel() {
    }

    /** Power at {@code hz} divided by total power (0..~1); near 1 for a pure tone at {@code hz}. */
    static double toneRatio(short[] pcm, int offset, int length, int sampleRate, double hz) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = offset; i < offset + length; i++) {
            double s0 = pcm[i] + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
            energy += (double) pcm[i] * pcm[i];
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return energy == 0 ? 0 : 2 * power / (length * energy);
    }

    /** Mean square of the samples, 0..~1.07e9. */
    static double energy(short[] pcm, int offset, int length) {
        double e = 0;
        for (int i = offset; i < offset + length; i++) {
            e += (double) pcm[i] * pcm[i];
        }
        return length == 0 ? 0 : e / length;
    }
}
