package io.warmline.media.mix;

/** A linear crossfade over one frame, for changes of rate or conversion path that would otherwise jump in time. */
final class Crossfade {

    private Crossfade() {
    }

    /** {@code into[i] = from[i]·(1 − w) + into[i]·w} with {@code w} rising from 1/(n+1) to n/(n+1). */
    static void apply(short[] from, short[] into, int n) {
        apply(from, into, 0, n);
    }

    /**
     * Keeps {@code from} for the first {@code hold} samples (while a converter that starts cold on {@code into}'s
     * side fills its history), then fades linearly to {@code into} over the rest of the {@code n} samples.
     */
    static void apply(short[] from, short[] into, int hold, int n) {
        System.arraycopy(from, 0, into, 0, hold);
        int m = n - hold;
        for (int i = 0; i < m; i++) {
            long w = i + 1;
            into[hold + i] = (short) ((from[hold + i] * (m + 1 - w) + into[hold + i] * w) / (m + 1));
        }
    }

    /** How long to hold the old path when the new one's converter starts cold: its history, at most half a frame. */
    static int hold(io.warmline.media.resample.Resampler cold, int n) {
        return cold == null ? 0 : Math.min((int) Math.ceil(2 * cold.delayOutputSamples()), n / 2);
    }
}
