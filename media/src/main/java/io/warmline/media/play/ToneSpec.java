package io.warmline.media.play;

/**
 * A cadenced tone: one or two frequencies summed, on for {@code onMillis} then off for {@code offMillis}, repeated
 * ({@code offMillis == 0}: continuous).
 *
 * @param lowHz first frequency (Hz), 0 &lt; f &lt; rate/2 of the bridge
 * @param highHz second frequency, or 0 for a single tone
 * @param levelDbfs level of each frequency component, as the peak of that sine relative to full scale (e.g. −19)
 */
public record ToneSpec(double lowHz, double highHz, double levelDbfs, int onMillis, int offMillis) {

    /**
     * Ringback, 440 + 480 Hz, 2 s on, 4 s off, each component at −19 dBFS: the North American precise tone plan
     * (ANSI T1.401), widely understood as "it is ringing" and used here as the country-neutral default.
     */
    public static final ToneSpec RINGBACK = new ToneSpec(440, 480, -19, 2000, 4000);

    public ToneSpec {
        if (!(lowHz > 0) || highHz < 0 || Double.isNaN(highHz) || lowHz > 20000 || highHz > 20000) {
            throw new IllegalArgumentException("tone frequencies out of range: " + lowHz + ", " + highHz);
        }
        if (!(levelDbfs <= 0) || levelDbfs < -90) {
            throw new IllegalArgumentException("level must be -90..0 dBFS: " + levelDbfs);
        }
        if (onMillis <= 0 || offMillis < 0 || onMillis > 60_000 || offMillis > 60_000) {
            throw new IllegalArgumentException("cadence out of range: " + onMillis + "/" + offMillis + " ms");
        }
    }

    /** A soft comfort tone for a waiting caller: {@code hz} at {@code levelDbfs}, {@code onMillis} on, {@code offMillis} off. */
    public static ToneSpec comfort(double hz, double levelDbfs, int onMillis, int offMillis) {
        return new ToneSpec(hz, 0, levelDbfs, onMillis, offMillis);
    }

    /** The default comfort tone: 425 Hz at −24 dBFS, 200 ms every 3 s, so silence is never mistaken for a drop. */
    public static ToneSpec comfort() {
        return comfort(425, -24, 200, 2800);
    }
}
