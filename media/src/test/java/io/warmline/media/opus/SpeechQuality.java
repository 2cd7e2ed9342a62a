package io.warmline.media.opus;

/**
 * Waveform quality of a decoded signal against its input, in one frequency band: both are band-pass filtered by the
 * same linear-phase FIR (so the filter's delay cancels), aligned at the delay that correlates best, and compared frame
 * by frame.
 */
final class SpeechQuality {

    private static final int TAPS = 511;
    /** Per-frame SNR is clamped to this range before averaging, as usual for segmental SNR. */
    private static final double SEG_MIN_DB = -10;
    private static final double SEG_MAX_DB = 35;
    /** Frames more than this far below the loudest frame of the reference are pauses and not scored. */
    private static final double ACTIVE_RANGE_DB = 40;

    /**
     * @param correlation normalised correlation of the band-limited signals at the best delay
     * @param segmentalSnrDb mean of the 20 ms frames' SNR over active speech
     * @param delay decoded minus input, in samples
     */
    record Result(double correlation, double segmentalSnrDb, int delay) {
        @Override
        public String toString() {
            return String.format("corr %.3f, segSNR %.1f dB, delay %d", correlation, segmentalSnrDb, delay);
        }
    }

    private SpeechQuality() {}

    /** Compares {@code decoded} with {@code input} in [lowHz, highHz], searching delays 0..maxDelay samples. */
    static Result compare(short[] input, short[] decoded, int rate, double lowHz, double highHz, int maxDelay) {
        double[] h = bandPass(rate, lowHz, highHz);
        double[] x = filter(input, h);
        double[] y = filter(decoded, h);
        int skip = TAPS + rate / 10;
        int end = Math.min(x.length, y.length - maxDelay);
        int bestDelay = 0;
        double best = -2;
        for (int d = 0; d <= maxDelay; d++) {
            double c = correlation(x, y, d, skip, end);
            if (c > best) {
                best = c;
                bestDelay = d;
            }
        }
        return new Result(best, segmentalSnr(x, y, bestDelay, skip, end, rate / 50), bestDelay);
    }

    /** Energy of {@code signal} in [lowHz, highHz] relative to its energy in [lowRefHz, highRefHz], in dB. */
    static double bandLevelDb(short[] signal, int rate, double lowHz, double highHz, double lowRefHz,
                              double highRefHz) {
        double[] band = filter(signal, bandPass(rate, lowHz, highHz));
        double[] ref = filter(signal, bandPass(rate, lowRefHz, highRefHz));
        return 10 * Math.log10(energy(band) / energy(ref));
    }

    private static double energy(double[] x) {
        double e = 0;
        for (int i = TAPS; i < x.length; i++) {
            e += x[i] * x[i];
        }
        return e;
    }

    private static double correlation(double[] x, double[] y, int delay, int from, int to) {
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = from; i < to; i++) {
            xy += x[i] * y[i + delay];
            xx += x[i] * x[i];
            yy += y[i + delay] * y[i + delay];
        }
        return xy / Math.sqrt(xx * yy + 1e-9);
    }

    private static double segmentalSnr(double[] x, double[] y, int delay, int from, int to, int frame) {
        int frames = (to - from) / frame;
        double[] signal = new double[frames];
        double[] noise = new double[frames];
        double loudest = 0;
        for (int f = 0; f < frames; f++) {
            for (int i = from + f * frame; i < from + (f + 1) * frame; i++) {
                double e = y[i + delay] - x[i];
                signal[f] += x[i] * x[i];
                noise[f] += e * e;
            }
            loudest = Math.max(loudest, signal[f]);
        }
        double sum = 0;
        int active = 0;
        for (int f = 0; f < frames; f++) {
            if (signal[f] > 0 && 10 * Math.log10(loudest / signal[f]) <= ACTIVE_RANGE_DB) {
                double db = 10 * Math.log10(signal[f] / (noise[f] + 1e-9));
                sum += Math.max(SEG_MIN_DB, Math.min(SEG_MAX_DB, db));
                active++;
            }
        }
        return sum / active;
    }

    /** Kaiser-windowed (β = 8) sinc band-pass, linear phase. */
    private static double[] bandPass(int rate, double lowHz, double highHz) {
        double[] h = new double[TAPS];
        int mid = TAPS / 2;
        double beta = 8;
        for (int n = 0; n < TAPS; n++) {
            int k = n - mid;
            double hi = sinc(2 * highHz / rate, k);
            double lo = sinc(2 * lowHz / rate, k);
            double r = (double) k / mid;
            h[n] = (hi - lo) * besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
        }
        return h;
    }

    /** Ideal low-pass with cut-off {@code fc} (fraction of Nyquist), tap {@code k}. */
    private static double sinc(double fc, int k) {
        return k == 0 ? fc : Math.sin(Math.PI * fc * k) / (Math.PI * k);
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
        }
        return sum;
    }

    private static double[] filter(short[] in, double[] h) {
        double[] out = new double[in.length];
        for (int n = 0; n < in.length; n++) {
            double acc = 0;
            int kMax = Math.min(h.length - 1, n);
            for (int k = 0; k <= kMax; k++) {
                acc += h[k] * in[n - k];
            }
            out[n] = acc;
        }
        return out;
    }
}
