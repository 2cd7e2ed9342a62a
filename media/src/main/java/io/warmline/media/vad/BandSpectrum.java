package io.warmline.media.vad;

/**
 * Energy of one frame in equal-width bands, from a Hann-windowed, zero-padded radix-2 FFT. Arrays are allocated once.
 * Not thread-safe.
 */
final class BandSpectrum {

    private final int size;
    private final int frame;
    private final int bands;
    private final float[] window;
    private final float[] re;
    private final float[] im;
    private final float[] cos;
    private final float[] sin;
    private final int[] reversed;

    BandSpectrum(int frameSamples, int bands) {
        int n = Integer.highestOneBit(frameSamples);
        size = n < frameSamples ? n << 1 : n;
        frame = frameSamples;
        this.bands = bands;
        window = new float[frameSamples];
        for (int i = 0; i < frameSamples; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / frameSamples));
        }
        re = new float[size];
        im = new float[size];
        cos = new float[size / 2];
        sin = new float[size / 2];
        for (int i = 0; i < size / 2; i++) {
            cos[i] = (float) Math.cos(2 * Math.PI * i / size);
            sin[i] = (float) -Math.sin(2 * Math.PI * i / size);
        }
        reversed = new int[size];
        int bits = Integer.numberOfTrailingZeros(size);
        for (int i = 0; i < size; i++) {
            reversed[i] = Integer.reverse(i) >>> (32 - bits);
        }
    }

    /** Writes the energy of {@code bands} equal bands from 0 Hz to Nyquist (DC bin left out) into {@code out}. */
    void compute(short[] pcm, int offset, float[] out) {
        for (int i = 0; i < size; i++) {
            int j = reversed[i];
            re[i] = j < frame ? pcm[offset + j] * window[j] : 0f;
            im[i] = 0f;
        }
        for (int half = 1; half < size; half <<= 1) {
            int step = size / (half << 1);
            for (int start = 0; start < size; start += half << 1) {
                for (int k = 0; k < half; k++) {
                    float wr = cos[k * step];
                    float wi = sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    float tr = re[b] * wr - im[b] * wi;
                    float ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
        int perBand = (size / 2) / bands;
        for (int b = 0; b < bands; b++) {
            float e = 0f;
            for (int k = Math.max(1, b * perBand); k < (b + 1) * perBand; k++) {
                e += re[k] * re[k] + im[k] * im[k];
            }
            out[b] = e;
        }
    }
}
