package io.warmline.media.opus;

/**
 * Decides, from the loss the far end reports on our stream (RTCP fraction lost, RFC 3550 §6.4.1), whether an Opus
 * encoder adds in-band FEC (LBRR, RFC 6716 §2.1.7, RFC 7587 §3.3) and for what packet loss it sizes it. LBRR costs
 * encoder CPU and takes bits from the primary frame, so it is off while the far end reports no loss, as libwebrtc
 * runs it.
 *
 * <ul>
 *   <li>Smoothing: the reported loss rises at once (the next frames should be protected) and decays by
 *       {@value #DECAY} per report (about every 5 s), so one clean report does not end protection.</li>
 *   <li>On when the smoothed loss reaches {@value #ENABLE_PERCENT} %: below it Opus's concealment hides the gaps
 *       well enough (one 20 ms packet in 100).</li>
 *   <li>Off after every report for {@link #OFF_AFTER_NANOS} carried no loss (hysteresis: the threshold to turn it off
 *       is "none at all for a while", not just below the one to turn it on).</li>
 *   <li>While on, the encoder's expected loss is the smoothed loss rounded up, within 1..{@value #MAX_LOSS_PERCENT}
 *       % (libwebrtc caps it at 20 % too: beyond that LBRR would take most of the bitrate), changed only when it
 *       moves by {@value #STEP_PERCENT} points or more, so each report does not retune the encoder.</li>
 * </ul>
 * Sans-IO and not thread-safe: one per encoder, on its owner's loop.
 */
public final class FecController {

    public static final double ENABLE_PERCENT = 1.0;
    public static final long OFF_AFTER_NANOS = 30_000_000_000L;
    public static final int MAX_LOSS_PERCENT = 20;
    public static final int STEP_PERCENT = 2;
    static final double DECAY = 0.7;

    private double smoothed;
    private boolean enabled;
    private int lossPercent;
    private long lastLossNanos;
    private long switches;

    /**
     * Takes one report.
     *
     * @param fractionLost the far end's fraction lost, in 1/256 (0..255)
     * @return whether {@link #enabled()} or {@link #lossPercent()} changed (the encoder must be retuned)
     */
    public boolean onReport(int fractionLost, long nowNanos) {
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fraction lost must be 0..255: " + fractionLost);
        }
        double reported = fractionLost * 100.0 / 256;
        smoothed = reported >= smoothed ? reported : smoothed * DECAY + reported * (1 - DECAY);
        if (fractionLost > 0) {
            lastLossNanos = nowNanos;
        }
        if (!enabled) {
            if (smoothed >= ENABLE_PERCENT) {
                enabled = true;
                lossPercent = target();
                switches++;
                return true;
            }
            return false;
        }
        if (fractionLost == 0 && nowNanos - lastLossNanos >= OFF_AFTER_NANOS) {
            enabled = false;
            lossPercent = 0;
            smoothed = 0;
            switches++;
            return true;
        }
        int t = target();
        if (Math.abs(t - lossPercent) >= STEP_PERCENT) {
            lossPercent = t;
            return true;
        }
        return false;
    }

    private int target() {
        return (int) Math.max(1, Math.min(MAX_LOSS_PERCENT, Math.ceil(smoothed)));
    }

    /** Whether in-band FEC is on. */
    public boolean enabled() {
        return enabled;
    }

    /** The loss the encoder is told to expect, 0 while FEC is off. */
    public int lossPercent() {
        return lossPercent;
    }

    /** The smoothed reported loss, in percent. */
    public double smoothedLossPercent() {
        return smoothed;
    }

    /** How many times FEC was turned on or off. */
    public long switches() {
        return switches;
    }
}
