package io.warmline.media.plc;

import java.util.Objects;

/**
 * Packet-loss concealment for 8 kHz G.711 audio by pitch-period repetition, following the method of ITU-T G.711
 * Appendix I:
 * <ul>
 *   <li>the decoded signal is kept in a 48.75 ms history and played out 3.75 ms late ({@link #DELAY_SAMPLES}), so that
 *       the start of an erasure can be blended into audio not yet played;</li>
 *   <li>at the first lost sample the pitch period P (40–120 samples, 66–200 Hz) is found by normalised
 *       cross-correlation of the last 20 ms with the history (a coarse search on every second lag, then ±1; a lag
 *       half as long that correlates nearly as well is preferred, to avoid octave errors);</li>
 *   <li>the erasure is filled by repeating the last pitch period; the last P/4 real samples are overlap-added with the
 *       P/4 samples one period earlier (triangular windows), in the output and in the repeated period, so both the
 *       start of the repetition and each wrap of it join without a step;</li>
 *   <li>after 10 ms the last two periods are repeated, after 20 ms the last three, each wrap overlap-added over P/4;</li>
 *   <li>from 10 ms into the erasure the output is attenuated linearly by 20 % per 10 ms, so it is silent from 60 ms;</li>
 *   <li>at the first good sample the synthetic signal is continued and overlap-added with the real one over 4 ms, plus
 *       4 ms for each further 10 ms of erasure, at most 10 ms.</li>
 * </ul>
 * Frames may have any length and lost frames may be concealed in any number of calls. Not thread-safe: one stream,
 * one owner. Nothing is allocated after construction.
 */
public final class G711Concealer {

    public static final int SAMPLE_RATE = 8000;
    /** Output lags input by 3.75 ms (a quarter of the longest pitch period). */
    public static final int DELAY_SAMPLES = 30;

    static final int PITCH_MIN = 40;
    static final int PITCH_MAX = 120;
    static final int CORRELATION_LENGTH = 160;
    static final int HISTORY = 3 * PITCH_MAX + DELAY_SAMPLES;
    private static final int TEN_MS = 80;
    private static final int SILENT_AFTER = 6 * TEN_MS;

    /** Ring of the most recent {@link #HISTORY} samples pushed (played or still pending). */
    private final float[] history = new float[HISTORY];
    private int write;

    /** The history unrolled at the start of an erasure, oldest first; the erasure repeats its tail. */
    private final float[] pitchBuffer = new float[HISTORY];
    private int pitch = PITCH_MAX;
    private int quarter;
    private int periods;
    private int read;
    private int fadeLeft;
    private int fadeDone;
    /** Samples synthesised since the erasure began; 0 when not concealing. */
    private int erased;
    /** Length of the recovery overlap-add under way (0: none), and how much of it is done. */
    private int overlap;
    private int overlapDone;

    /** Conceals nothing, returns input: a good frame. {@code in} and {@code out} may be the same array. */
    public void good(short[] in, int inOffset, short[] out, int outOffset, int length) {
        Objects.checkFromIndexSize(inOffset, length, in.length);
        Objects.checkFromIndexSize(outOffset, length, out.length);
        int k = 0;
        if (erased > 0 && overlap == 0) {
            int blocks = (erased + TEN_MS - 1) / TEN_MS;
            overlap = Math.min(32 + 32 * (blocks - 1), TEN_MS);
            overlapDone = 0;
        }
        for (; k < length && overlapDone < overlap; k++) {
            float w = (overlapDone + 1f) / (overlap + 1f);
            float x = in[inOffset + k] * w + nextSynthetic() * (1 - w);
            out[outOffset + k] = push(x);
            if (++overlapDone == overlap) {
                erased = 0;
                overlap = 0;
            }
        }
        for (; k < length; k++) {
            out[outOffset + k] = push(in[inOffset + k]);
        }
    }

    /** Fills {@code length} samples of {@code out} for audio that was lost. */
    public void lost(short[] out, int outOffset, int length) {
        Objects.checkFromIndexSize(outOffset, length, out.length);
        if (length == 0) {
            return;
        }
        if (erased == 0) {
            startErasure();
        }
        overlap = 0;
        for (int k = 0; k < length; k++) {
            out[outOffset + k] = push(nextSynthetic());
        }
    }

    /** Whether the last call concealed (the next good frame will be blended in). */
    public boolean concealing() {
        return erased > 0;
    }

    /** Pitch period in samples found at the start of the latest erasure. */
    public int pitchPeriod() {
        return pitch;
    }

    /** Forgets the history, as at construction. */
    public void reset() {
        java.util.Arrays.fill(history, 0f);
        write = 0;
        erased = 0;
        overlap = 0;
        pitch = PITCH_MAX;
    }

    private short push(float x) {
        int outIndex = write - DELAY_SAMPLES;
        if (outIndex < 0) {
            outIndex += HISTORY;
        }
        float y = history[outIndex];
        history[write] = x;
        write = write + 1 == HISTORY ? 0 : write + 1;
        int r = Math.round(y);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }

    private void startErasure() {
        for (int i = 0; i < HISTORY; i++) {
            int j = write + i;
            pitchBuffer[i] = history[j >= HISTORY ? j - HISTORY : j];
        }
        pitch = findPitch(pitchBuffer);
        quarter = pitch / 4;
        periods = 1;
        // Blend the last P/4 samples (still pending output) into those one period earlier, in the output and in the
        // pitch buffer, so the repeated period wraps onto its own start without a step.
        for (int k = 0; k < quarter; k++) {
            float w = (k + 1f) / (quarter + 1f);
            int ring = write - quarter + k;
            if (ring < 0) {
                ring += HISTORY;
            }
            int tail = HISTORY - quarter + k;
            pitchBuffer[tail] = pitchBuffer[tail] * (1 - w) + pitchBuffer[tail - pitch] * w;
            history[ring] = pitchBuffer[tail];
        }
        read = HISTORY - pitch;
        fadeLeft = 0;
    }

    private float nextSynthetic() {
        if (erased == TEN_MS || erased == 2 * TEN_MS) {
            periods++;
        }
        float x;
        if (fadeLeft > 0) {
            float w = (fadeDone + 1f) / (quarter + 1f);
            x = pitchBuffer[HISTORY - pitch + fadeDone] * (1 - w) + pitchBuffer[read] * w;
            fadeDone++;
            fadeLeft--;
        } else {
            x = pitchBuffer[read];
        }
        read++;
        if (read == HISTORY) {
            read = HISTORY - periods * pitch;
            fadeLeft = quarter;
            fadeDone = 0;
        }
        float gain = erased < TEN_MS ? 1f : Math.max(0f, 1f - 0.2f * (erased - TEN_MS) / TEN_MS);
        if (erased < SILENT_AFTER) {
            erased++;
        } else {
            erased = SILENT_AFTER;
        }
        return x * gain;
    }

    /** Lag in [40, 120] maximising the normalised cross-correlation of the last 20 ms with the signal before it. */
    static int findPitch(float[] x) {
        int end = x.length;
        int start = end - CORRELATION_LENGTH;
        int best = PITCH_MAX;
        double bestScore = 0;
        for (int lag = PITCH_MIN; lag <= PITCH_MAX; lag += 2) {
            double score = score(x, start, end, lag, 2);
            if (score > bestScore) {
                bestScore = score;
                best = lag;
            }
        }
        int coarse = best;
        bestScore = 0;
        for (int lag = Math.max(PITCH_MIN, coarse - 1); lag <= Math.min(PITCH_MAX, coarse + 1); lag++) {
            double score = score(x, start, end, lag, 1);
            if (score > bestScore) {
                bestScore = score;
                best = lag;
            }
        }
        // A repeated pitch pulse also correlates at twice its period; prefer the period itself.
        int half = best / 2;
        if (half - 1 >= PITCH_MIN) {
            int bestHalf = half;
            double bestHalfScore = Double.NEGATIVE_INFINITY;
            for (int lag = half - 1; lag <= half + 1; lag++) {
                double score = score(x, start, end, lag, 1);
                if (score > bestHalfScore) {
                    bestHalfScore = score;
                    bestHalf = lag;
                }
            }
            if (bestHalfScore >= 0.9 * bestScore) {
                return bestHalf;
            }
        }
        return best;
    }

    private static double score(float[] x, int start, int end, int lag, int step) {
        double cross = 0;
        double energy = 0;
        for (int i = start; i < end; i += step) {
            cross += (double) x[i] * x[i - lag];
            energy += (double) x[i - lag] * x[i - lag];
        }
        return energy == 0 ? 0 : cross / Math.sqrt(energy);
    }
}
