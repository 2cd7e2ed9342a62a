package io.warmline.bridge.it;

import java.util.Arrays;

/**
 * Audio made by the tests themselves, independent of Warmline's generators: DTMF key tones from the ITU-T Q.23
 * frequency table, and silence. 8 kHz, 16-bit.
 */
final class TestAudio {
    static final int RATE = 8000;
    private static final String KEYS = "123A456B789C*0#D";
    private static final int[] LOW = {697, 770, 852, 941};
    private static final int[] HIGH = {1209, 1336, 1477, 1633};

    private TestAudio() {}

    /** {@code millis} of digital silence. */
    static short[] silence(int millis) {
        return new short[millis * RATE / 1000];
    }

    /**
     * Each key of {@code keys} as a tone pair of {@code onMs} followed by {@code offMs} of silence; each of the two
     * tones at {@code dbfs} (peak relative to full scale).
     */
    static short[] keys(String keys, int onMs, int offMs, double dbfs) {
        int on = onMs * RATE / 1000;
        int off = offMs * RATE / 1000;
        short[] pcm = new short[keys.length() * (on + off)];
        double amplitude = 32767 * Math.pow(10, dbfs / 20);
        for (int k = 0; k < keys.length(); k++) {
            int index = KEYS.indexOf(keys.charAt(k));
            if (index < 0) {
                throw new IllegalArgumentException("not a DTMF key: " + keys.charAt(k));
            }
            double low = LOW[index / 4];
            double high = HIGH[index % 4];
            int start = k * (on + off);
            for (int i = 0; i < on; i++) {
                double t = (double) i / RATE;
                pcm[start + i] = (short) Math.round(amplitude * (Math.sin(2 * Math.PI * low * t) + Math.sin(2 * Math.PI * high * t)));
            }
        }
        return pcm;
    }

    /**
     * Each key as a Q.23 tone pair at G.711 levels: the low tone at {@code lowDbm0}, the high tone {@code twistDb}
     * above it; a sine at 0 dBm0 has a peak 3.14 dB below the G.711 overload point (ITU-T G.711, G.168).
     */
    static short[] keysDbm0(String keys, int onMs, int offMs, double lowDbm0, double twistDb) {
        int on = onMs * RATE / 1000;
        int off = offMs * RATE / 1000;
        short[] pcm = new short[keys.length() * (on + off)];
        double lowPeak = peakAtDbm0(lowDbm0);
        double highPeak = peakAtDbm0(lowDbm0 + twistDb);
        for (int k = 0; k < keys.length(); k++) {
            int index = KEYS.indexOf(keys.charAt(k));
            if (index < 0) {
                throw new IllegalArgumentException("not a DTMF key: " + keys.charAt(k));
            }
            int start = k * (on + off);
            for (int i = 0; i < on; i++) {
                double t = (double) i / RATE;
                pcm[start + i] = (short) Math.round(lowPeak * Math.sin(2 * Math.PI * LOW[index / 4] * t)
                        + highPeak * Math.sin(2 * Math.PI * HIGH[index % 4] * t));
            }
        }
        return pcm;
    }

    /** Adds Gaussian white noise of RMS level {@code dbm0} (seeded), clipping at full scale. */
    static short[] withNoise(short[] pcm, double dbm0, long seed) {
        java.util.Random random = new java.util.Random(seed);
        double rms = peakAtDbm0(dbm0) / Math.sqrt(2);
        short[] out = new short[pcm.length];
        for (int i = 0; i < pcm.length; i++) {
            double v = pcm[i] + rms * random.nextGaussian();
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return out;
    }

    private static double peakAtDbm0(double dbm0) {
        return 32768 * Math.pow(10, (dbm0 - 3.14) / 20);
    }

    static short[] concat(short[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        short[] out = new short[length];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** Pearson correlation of a[ao, ao + n) and b[bo, bo + n); -2 when either is constant or n is under 2. */
    static double correlation(double[] a, int ao, double[] b, int bo, int n) {
        if (n <= 1) {
            return -2;
        }
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[ao + i];
            mb += b[bo + i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double x = a[ao + i] - ma;
            double y = b[bo + i] - mb;
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }
        return saa == 0 || sbb == 0 ? -2 : sab / Math.sqrt(saa * sbb);
    }
}
