package io.warmline.dtmf.tone;

import io.warmline.dtmf.DtmfDigit;
import java.util.Objects;

/**
 * In-band DTMF per ITU-T Q.23: the sum of the digit's low-group and high-group sines, each at its own level. The
 * high group is usually sent a little louder than the low group ("twist", 2 dB by default) because cable loss grows
 * with frequency.
 *
 * <p>Levels are in dBm0 on a 16-bit linear scale where a 0 dBm0 sine peaks 3.14 dB below full scale (the G.711 A-law
 * overload point, G.711 Table 1a/6). Stateless and thread-safe: phase comes from the sample index, so consecutive
 * calls with consecutive indices join without a discontinuity.
 */
public final class DtmfToneGenerator {

    /** Peak of a 0 dBm0 sine in 16-bit samples. */
    public static final double ZERO_DBM0_PEAK = 32768 * Math.pow(10, -3.14 / 20);
    public static final double DEFAULT_LOW_DBM0 = -10.0;
    public static final double DEFAULT_TWIST_DB = 2.0;

    private final int sampleRate;
    private final double lowAmplitude;
    private final double highAmplitude;

    /** 8 kHz, low group at -10 dBm0, high group 2 dB above. */
    public DtmfToneGenerator() {
        this(8000, DEFAULT_LOW_DBM0, DEFAULT_LOW_DBM0 + DEFAULT_TWIST_DB);
    }

    /**
     * @param lowDbm0 level of the low-group tone, -40..-3 dBm0
     * @param highDbm0 level of the high-group tone, -40..-3 dBm0 (their sum must not clip)
     */
    public DtmfToneGenerator(int sampleRate, double lowDbm0, double highDbm0) {
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 48000) {
            throw new IllegalArgumentException("sample rate must be 8000, 16000 or 48000: " + sampleRate);
        }
        if (!(lowDbm0 >= -40 && lowDbm0 <= -3) || !(highDbm0 >= -40 && highDbm0 <= -3)) {
            throw new IllegalArgumentException("tone levels must be -40..-3 dBm0: " + lowDbm0 + ", " + highDbm0);
        }
        this.sampleRate = sampleRate;
        this.lowAmplitude = ZERO_DBM0_PEAK * Math.pow(10, lowDbm0 / 20);
        this.highAmplitude = ZERO_DBM0_PEAK * Math.pow(10, highDbm0 / 20);
        if (lowAmplitude + highAmplitude > Short.MAX_VALUE) {
            throw new IllegalArgumentException("tone levels would clip: " + lowDbm0 + ", " + highDbm0);
        }
    }

    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Writes {@code length} samples of {@code digit}'s tone pair into {@code out} from {@code offset}.
     *
     * @param sampleIndex index of the first sample counted from the tone's start
     */
    public void generate(DtmfDigit digit, short[] out, int offset, int length, long sampleIndex) {
        Objects.requireNonNull(digit, "digit");
        Objects.checkFromIndexSize(offset, length, out.length);
        double wl = 2 * Math.PI * digit.lowHz() / sampleRate;
        double wh = 2 * Math.PI * digit.highHz() / sampleRate;
        for (int i = 0; i < length; i++) {
            long n = sampleIndex + i;
            // Reduce the phase in whole periods of the rate so it stays exact over long tones.
            double tl = wl * (n % sampleRate);
            double th = wh * (n % sampleRate);
            out[offset + i] = (short) Math.round(lowAmplitude * Math.sin(tl) + highAmplitude * Math.sin(th));
        }
    }

    /** Samples in {@code millis} at this generator's rate. */
    public int samples(int millis) {
        return (int) ((long) millis * sampleRate / 1000);
    }
}
