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
}
