package io.warmline.media.quality;

/**
 * A simplified ITU-T G.107 E-model: {@code R = R0 − Is − Id − Ie,eff + A} with every parameter except delay, codec
 * and packet loss at its G.107 default, so that {@code R0 − Is = 93.2} (G.107 Table 3 defaults; A = 0).
 * <ul>
 *   <li>{@code Id}, the delay impairment, by the usual simplification of G.107's formulas for the default echo
 *       parameters: {@code Id = 0.024·d + 0.11·(d − 177.3)·H(d − 177.3)} with {@code d} the one-way mouth-to-ear delay
 *       in ms (Cole and Rosenbluth, "Voice over IP performance monitoring", 2001);</li>
 *   <li>{@code Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl/BurstR + Bpl)} (G.107 §7.4), Ppl the loss in percent;</li>
 *   <li>MOS (conversational quality, estimated) from R by G.107 Annex B.</li>
 * </ul>
 * Pure functions; thread-safe.
 */
public final class EModel {

    /** R with all G.107 default parameters and no delay, loss or codec impairment. */
    public static final double DEFAULT_R = 93.2;

    private EModel() {
    }

    /** Delay impairment {@code Id} for a one-way mouth-to-ear delay in milliseconds. */
    public static double delayImpairment(double oneWayDelayMillis) {
        if (!(oneWayDelayMillis >= 0)) {
            throw new IllegalArgumentException("delay must be >= 0 ms: " + oneWayDelayMillis);
        }
        double d = oneWayDelayMillis;
        return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
    }

    /**
     * Effective equipment impairment (G.107 §7.4).
     *
     * @param lossPercent packets lost or discarded by the receiver, 0..100
     * @param burstR burst ratio: 1 for random loss, above 1 for bursty loss
     */
    public static double effectiveEquipmentImpairment(CodecImpairment codec, double lossPercent, double burstR) {
        if (!(lossPercent >= 0 && lossPercent <= 100)) {
            throw new IllegalArgumentException("loss must be 0..100 %: " + lossPercent);
        }
        if (!(burstR >= 1)) {
            throw new IllegalArgumentException("burst ratio must be >= 1: " + burstR);
        }
        return codec.ie() + (95 - codec.ie()) * lossPercent / (lossPercent / burstR + codec.bpl());
    }

    /** R for random loss (BurstR = 1). */
    public static double rFactor(double oneWayDelayMillis, CodecImpairment codec, double lossPercent) {
        return rFactor(oneWayDelayMillis, codec, lossPercent, 1);
    }

    public static double rFactor(double oneWayDelayMillis, CodecImpairment codec, double lossPercent, double burstR) {
        return DEFAULT_R - delayImpairment(oneWayDelayMillis)
                - effectiveEquipmentImpairment(codec, lossPercent, burstR);
    }

    /**
     * G.107 Annex B: MOS (1..4.5) from R. The cubic dips just below 1 for R under 6.5; it is held at 1 there, so that
     * MOS never falls as R rises.
     */
    public static double mos(double r) {
        if (Double.isNaN(r)) {
            throw new IllegalArgumentException("R is NaN");
        }
        if (r <= 0) {
            return 1;
        }
        if (r >= 100) {
            return 4.5;
        }
        return Math.max(1, 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6);
    }
}
