package io.warmline.media.mix;

/** Test signals and measurements shared by the mixer, player and recorder tests. */
public final class Signals {

    private Signals() {
    }

    /** {@code n} samples of a sine of {@code amplitude} at {@code hz}, starting at sample index {@code start}. */
    public static short[] tone(double hz, double amplitude, int rate, long start, int n, double phase) {
        short[] out = new short[n];
        for (int i = 0; i < n; i++) {
            out[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * (start + i) / rate + phase));
        }
        return out;
    }

    /** Amplitude of the {@code hz} component of {@code x[off, off + n)} (Goertzel; exact for whole cycles). */
    public static double goertzelAmplitude(short[] x, int off, int n, double hz, int rate) {
        double w = 2 * Math.PI * hz / rate;
        double coeff = 2 * Math.cos(w);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < n; i++) {
            double s0 = x[off + i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return 2 * Math.sqrt(Math.max(power, 0)) / n;
    }

    public static double goertzelAmplitude(short[] x, double hz, int rate) {
        return goertzelAmplitude(x, 0, x.length, hz, rate);
    }

    public static double rms(short[] x, int off, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) x[off + i] * x[off + i];
        }
        return n == 0 ? 0 : Math.sqrt(sum / n);
    }

    public static double rms(short[] x) {
        return rms(x, 0, x.length);
    }

    /** Largest |x[i] - x[i - 1]| over {@code [from, to)}. */
    public static int maxStep(short[] x, int from, int to) {
        int max = 0;
        for (int i = Math.max(1, from); i < to; i++) {
            max = Math.max(max, Math.abs(x[i] - x[i - 1]));
        }
        return max;
    }

    public static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

}
