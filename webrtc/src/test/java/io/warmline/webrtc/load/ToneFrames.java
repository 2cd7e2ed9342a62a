package io.warmline.webrtc.load;

/**
 * Judges received 10 ms frames of 16-bit little-endian PCM: audible (mean square above about -45 dBFS) and carrying
 * a given tone (the Goertzel power at its frequency is most of the frame's power). Pure, so it is unit-tested.
 */
final class ToneFrames {
    /** Mean square of an audible frame: about -45 dBFS, above the comfort noise and concealment tails. */
    static final double AUDIBLE_MEAN_SQUARE = 1e5;
    /** Share of a frame's power at the tone's frequency for the frame to count as carrying it. */
    static final double TONE_SHARE = 0.5;

    private ToneFrames() {
    }

    /** The mean square of the first channel's samples. */
    static double meanSquare(byte[] pcm, int channels, int frames) {
        double e = 0;
        for (int i = 0; i < frames; i++) {
            int v = sample(pcm, i * channels * 2);
            e += (double) v * v;
        }
        return frames == 0 ? 0 : e / frames;
    }

    /** Power at {@code hz} divided by the frame's total power (0..~1), on the first channel. */
    static double toneShare(byte[] pcm, int channels, int frames, int sampleRate, double hz) {
        double coefficient = 2 * Math.cos(2 * Math.PI * hz / sampleRate);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = 0; i < frames; i++) {
            int v = sample(pcm, i * channels * 2);
            double s0 = v + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
            energy += (double) v * v;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return energy == 0 ? 0 : 2 * power / (frames * energy);
    }

    /**
     * One 10 ms frame of a sine at {@code hz}, 16-bit little-endian mono. With {@code hz} a multiple of 100 the
     * frame holds whole periods, so sending it over and over is a continuous tone.
     */
    static byte[] toneFrame(int sampleRate, double hz, int amplitude) {
        int n = sampleRate / 100;
        byte[] pcm = new byte[n * 2];
        for (int i = 0; i < n; i++) {
            short v = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / sampleRate));
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        return pcm;
    }

    private static int sample(byte[] pcm, int at) {
        return (short) ((pcm[at] & 0xFF) | pcm[at + 1] << 8);
    }
}
