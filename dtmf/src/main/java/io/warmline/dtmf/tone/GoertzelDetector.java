package io.warmline.dtmf.tone;

import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.internal.PressQueue;
import java.util.Objects;

/**
 * In-band DTMF detection per ITU-T Q.24 on 8 kHz linear PCM, sans-IO: {@link #process} takes frames of any length
 * with the time of their first sample; {@link #poll()} yields each press once, when it has ended.
 *
 * <p>Every 10 ms the eight Q.23 frequencies are measured with the Goertzel algorithm, each over its own window of the
 * most recent samples, sized so that the window's first spectral null lies 4 % from the nominal frequency: a tone
 * 1.5 % off still gives most of its power (Q.24 "must accept"), one 3.5 % off almost none (Q.24 "must reject"). A
 * frame holds a digit when all of these hold:
 * <ul>
 *   <li>the strongest low-group and high-group tones are each at least {@code -32 dBm0};</li>
 *   <li>twist: the high tone is at most 8 dB below and 6 dB above the low tone (Q.24 tables allow 4–8 dB);</li>
 *   <li>the two tones carry at least 60 % of the signal's power (talk-off: speech spreads its power);</li>
 *   <li>every other frequency of each group is at least 10 dB below the group's strongest;</li>
 *   <li>the second harmonic of the high tone and the third of the low tone are at least 20 dB below them (voiced
 *       sounds and instruments have strong harmonics; the low tone's second falls among the high group);</li>
 *   <li>the power in each quarter of the low tone's window is within 3 dB of the others: the tone fills the whole
 *       window (27–36 ms by row) at a steady level, which speech rarely does.</li>
 * </ul>
 * An energy gate runs first: by Cauchy-Schwarz a Goertzel power over N samples is at most twice their mean square, so
 * when the last {@code windows[0]} samples hold less energy than a low tone of {@code -32 dBm0} needs over the
 * shortest low-group window, no digit is possible and the bank is not run (silence and pauses cost a running sum).
 * The low group is measured before the high group, and a low group below the minimum level ends the analysis.
 *
 * <p>A press starts at the first such analysis (the tone then lasted at least the window, 27–36 ms: tones of Q.24's
 * 40 ms minimum are accepted, 20 ms bursts rejected). It ends when every window that could still hold the tone has
 * missed it: a 10 ms break is bridged, a 40 ms pause separates two presses (Q.24 interruption and pause rules).
 *
 * <p>Not thread-safe: one stream, one owner. Nothing is allocated after construction except the reported presses.
 */
public final class GoertzelDetector {

    public static final int SAMPLE_RATE = 8000;
    private static final int HOP = 80;
    private static final long HOP_NANOS = 10_000_000L;
    private static final int RING = 512;
    private static final double NULL_OFFSET = 0.04;
    private static final int ON_HOPS = 1;
    private static final double MIN_TONE_DBM0 = -32;
    private static final double MAX_REVERSE_TWIST_DB = 8;
    private static final double MAX_FORWARD_TWIST_DB = 6;
    private static final double MIN_TONE_SHARE = 0.55;
    private static final double GROUP_MARGIN_DB = 10;
    private static final double HARMONIC_MARGIN_DB = 20;
    private static final int QUEUE = 8;
    /** Least quarter-window power against the greatest (3 dB). */
    private static final double STEADY_RATIO = 0.5;

    private static final double ZERO_DBM0_POWER =
            DtmfToneGenerator.ZERO_DBM0_PEAK * DtmfToneGenerator.ZERO_DBM0_PEAK / 2;
    private static final double MIN_POWER = ZERO_DBM0_POWER * Math.pow(10, MIN_TONE_DBM0 / 10);
    private static final double MIN_TWIST = Math.pow(10, -MAX_REVERSE_TWIST_DB / 10);
    private static final double MAX_TWIST = Math.pow(10, MAX_FORWARD_TWIST_DB / 10);
    private static final double GROUP_MARGIN = Math.pow(10, -GROUP_MARGIN_DB / 10);
    private static final double HARMONIC_MARGIN = Math.pow(10, -HARMONIC_MARGIN_DB / 10);

    private final int[] freqs = new int[8];
    private final int[] windows = new int[8];
    /** Misses that end a press, by row: every window overlapping a 10 ms break misses, a 40 ms pause misses more. */
    private final int[] offHops = new int[4];
    private final double[] coeff = new double[8];
    private final double[] secondCoeff = new double[8];
    private final double[] thirdCoeff = new double[8];
    private final double[] power = new double[8];
    private final double[] energy = new double[8];

    private final short[] ring = new short[RING];
    /** The analysis window as doubles, oldest first: {@code windows[0]} samples ending at the newest. */
    private final double[] span;
    /** {@code prefix[k]}: sum of squares of {@code span[0..k)} (exact: integers below 2^53). */
    private final double[] prefix;
    /** Sum of squares of the last {@code windows[0]} samples, kept per sample (exact in a long). */
    private long gateSum;
    /** Least {@link #gateSum} that can hold a tone at the minimum level. */
    private final double gateFloor;
    private long written;
    private int sinceHop;

    private DtmfDigit candidate;
    private int candidateHops;
    private long candidateStartNanos;
    private DtmfDigit current;
    private long currentStartNanos;
    private long lastSeenNanos;
    private int missedHops;

    private final PressQueue queue = new PressQueue(QUEUE);

    private long analyses;
    private long bankRuns;
    private long digitFrames;

    public GoertzelDetector() {
        for (int i = 0; i < 4; i++) {
            freqs[i] = DtmfDigit.LOW_GROUP[i];
            freqs[i + 4] = DtmfDigit.HIGH_GROUP[i];
        }
        for (int i = 0; i < 8; i++) {
            windows[i] = (int) Math.round(SAMPLE_RATE / (NULL_OFFSET * freqs[i]));
            coeff[i] = 2 * Math.cos(2 * Math.PI * freqs[i] / SAMPLE_RATE);
            secondCoeff[i] = 2 * Math.cos(2 * Math.PI * 2 * freqs[i] / SAMPLE_RATE);
            thirdCoeff[i] = 2 * Math.cos(2 * Math.PI * 3 * freqs[i] / SAMPLE_RATE);
        }
        for (int i = 0; i < 4; i++) {
            offHops[i] = (windows[i] + HOP) / HOP + 2;
        }
        for (int i = 1; i < 8; i++) {
            // measure() relies on each group's windows shrinking as its frequencies rise.
            if (i != 4 && windows[i] > windows[i - 1]) {
                throw new IllegalStateException("windows out of order");
            }
        }
        span = new double[windows[0]];
        prefix = new double[windows[0] + 1];
        // power <= 2 * sum / n over a window of n samples, so a low tone of minPower needs sum >= minPower * n / 2.
        gateFloor = MIN_POWER * windows[3] / 2;
    }

    /**
     * Analyses {@code length} samples of 8 kHz PCM.
     *
     * @param nowNanos time of {@code pcm[offset]}
     */
    public void process(short[] pcm, int offset, int length, long nowNanos) {
        Objects.checkFromIndexSize(offset, length, pcm.length);
        int gateWindow = windows[0];
        for (int i = 0; i < length; i++) {
            int x = pcm[offset + i];
            if (written >= gateWindow) {
                int old = ring[(int) ((written - gateWindow) & (RING - 1))];
                gateSum -= old * old;
            }
            gateSum += x * x;
            ring[(int) (written++ & (RING - 1))] = (short) x;
            if (++sinceHop == HOP) {
                sinceHop = 0;
                // Time just after the last sample analysed.
                analyse(nowNanos + (i + 1) * 125_000L);
            }
        }
    }

    /** The next ended press, or null. */
    public DigitPress poll() {
        return queue.poll();
    }

    /** The digit being held now, or null. */
    public DtmfDigit current() {
        return current;
    }

    /** Analyses run (one per 10 ms of audio). */
    public long analyses() {
        return analyses;
    }

    /** Analyses that ran the Goertzel bank (the rest were below the energy gate or before a full window). */
    public long bankRuns() {
        return bankRuns;
    }

    /** Analyses that found a digit (before the duration rules). */
    public long digitFrames() {
        return digitFrames;
    }

    private void analyse(long endNanos) {
        analyses++;
        DtmfDigit digit = written >= windows[0] && gateSum >= gateFloor ? classify() : null;
        if (digit != null) {
            digitFrames++;
        }
        if (current != null) {
            if (digit == current) {
                missedHops = 0;
                lastSeenNanos = endNanos;
                return;
            }
            if (++missedHops < offHops[lowIndex(current)]) {
                return;
            }
            int millis = (int) ((lastSeenNanos - currentStartNanos) / 1_000_000L);
            queue.add(new DigitPress(current, currentStartNanos, millis, true));
            current = null;
            candidate = null;
            candidateHops = 0;
            if (digit != null) {
                // A different digit right after: it must still be held ON_HOPS after the gap.
                return;
            }
        }
        if (digit == null) {
            candidate = null;
            candidateHops = 0;
            return;
        }
        if (digit != candidate) {
            candidate = digit;
            candidateHops = 0;
            candidateStartNanos = endNanos - windowNanos(digit);
        }
        if (++candidateHops >= ON_HOPS) {
            current = digit;
            currentStartNanos = candidateStartNanos;
            lastSeenNanos = endNanos;
            missedHops = 0;
        }
    }

    private long windowNanos(DtmfDigit digit) {
        return windows[lowIndex(digit)] * 125_000L;
    }

    private static int lowIndex(DtmfDigit digit) {
        int low = 0;
        while (DtmfDigit.LOW_GROUP[low] != digit.lowHz()) {
            low++;
        }
        return low;
    }

    private DtmfDigit classify() {
        bankRuns++;
        int w = windows[0];
        long from = written - w;
        double sum = 0;
        for (int k = 0; k < w; k++) {
            double x = ring[(int) ((from + k) & (RING - 1))];
            span[k] = x;
            sum += x * x;
            prefix[k + 1] = sum;
        }
        measure(0);
        int low = strongest(0);
        double pl = power[low];
        if (pl < MIN_POWER) {
            return null;
        }
        measure(4);
        int high = strongest(4);
        double ph = power[high];
        if (ph < MIN_POWER) {
            return null;
        }
        double twist = ph / pl;
        if (twist < MIN_TWIST || twist > MAX_TWIST) {
            return null;
        }
        if (pl / energy[low] + ph / energy[high] < MIN_TONE_SHARE) {
            return null;
        }
        double margin = GROUP_MARGIN;
        for (int f = 0; f < 4; f++) {
            if (f != low && power[f] > pl * margin) {
                return null;
            }
            if (f + 4 != high && power[f + 4] > ph * margin) {
                return null;
            }
        }
        // The low tone's second harmonic (1394-1882 Hz) sits among the high group, so its third is checked instead.
        double harmonic = HARMONIC_MARGIN;
        if (harmonicPower(high, 2) > ph * harmonic || harmonicPower(low, 3) > pl * harmonic) {
            return null;
        }
        if (!steady(windows[low])) {
            return null;
        }
        return DtmfDigit.fromPair(low, high - 4);
    }

    /**
     * Goertzel power and mean square of the four filters of one group, each over its window ending now. The four
     * recurrences run side by side (windows shrink with frequency, so each joins the loop where its window starts):
     * they are independent, and interleaving them hides the latency of each one's dependency chain.
     */
    private void measure(int group) {
        int w = windows[0];
        double ca = coeff[group];
        double cb = coeff[group + 1];
        double cc = coeff[group + 2];
        double cd = coeff[group + 3];
        double a1 = 0, a2 = 0, b1 = 0, b2 = 0, c1 = 0, c2 = 0, d1 = 0, d2 = 0;
        int k = w - windows[group];
        for (int end = w - windows[group + 1]; k < end; k++) {
            double a = span[k] + ca * a1 - a2;
            a2 = a1;
            a1 = a;
        }
        for (int end = w - windows[group + 2]; k < end; k++) {
            double x = span[k];
            double a = x + ca * a1 - a2;
            double b = x + cb * b1 - b2;
            a2 = a1;
            a1 = a;
            b2 = b1;
            b1 = b;
        }
        for (int end = w - windows[group + 3]; k < end; k++) {
            double x = span[k];
            double a = x + ca * a1 - a2;
            double b = x + cb * b1 - b2;
            double c = x + cc * c1 - c2;
            a2 = a1;
            a1 = a;
            b2 = b1;
            b1 = b;
            c2 = c1;
            c1 = c;
        }
        for (; k < w; k++) {
            double x = span[k];
            double a = x + ca * a1 - a2;
            double b = x + cb * b1 - b2;
            double c = x + cc * c1 - c2;
            double d = x + cd * d1 - d2;
            a2 = a1;
            a1 = a;
            b2 = b1;
            b1 = b;
            c2 = c1;
            c1 = c;
            d2 = d1;
            d1 = d;
        }
        store(group, a1, a2);
        store(group + 1, b1, b2);
        store(group + 2, c1, c2);
        store(group + 3, d1, d2);
    }

    private void store(int f, double s1, double s2) {
        int n = windows[f];
        double c = coeff[f];
        // Mean power of the sinusoid at this frequency: A^2/2 with A = 2|X|/N.
        power[f] = 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / ((double) n * n);
        energy[f] = (prefix[windows[0]] - prefix[windows[0] - n]) / n;
    }

    /** The signal's power is level across the window's four quarters: the tone fills it and is not speech. */
    private boolean steady(int n) {
        double min = Double.MAX_VALUE;
        double max = 0;
        int start = windows[0] - n;
        for (int q = 0; q < 4; q++) {
            double sum = (prefix[start + (q + 1) * n / 4] - prefix[start + q * n / 4])
                    / ((q + 1) * n / 4 - q * n / 4);
            min = Math.min(min, sum);
            max = Math.max(max, sum);
        }
        return min >= max * STEADY_RATIO;
    }

    private int strongest(int from) {
        int best = from;
        for (int f = from + 1; f < from + 4; f++) {
            if (power[f] > power[best]) {
                best = f;
            }
        }
        return best;
    }

    /**
     * Power at {@code multiple} times frequency {@code f}, over 1/{@code multiple} of its window so the relative
     * tolerance is the fundamental's (a tone 1.5 % off has its harmonics 1.5 % off too).
     */
    private double harmonicPower(int f, int multiple) {
        int n = windows[f] / multiple;
        double c = multiple == 2 ? secondCoeff[f] : thirdCoeff[f];
        double s1 = 0;
        double s2 = 0;
        for (int k = windows[0] - n; k < windows[0]; k++) {
            double s = span[k] + c * s1 - s2;
            s2 = s1;
            s1 = s;
        }
        return 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / ((double) n * n);
    }
}
