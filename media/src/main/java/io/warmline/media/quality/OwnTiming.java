package io.warmline.media.quality;

/**
 * What this process, not the network, failed to do on time on one terminated leg: frames it sent late or never, and
 * received packets its jitter buffer dropped because our own loop stalled ({@link StallLedger}). None of it is network
 * loss, and none of it is in the leg's E-model estimate ({@link LegQuality}).
 *
 * @param framesDue output frames due (one per tick)
 * @param lateOutputFrames output frames sent more than 10 ms after their tick's deadline, or never because their tick
 *     was skipped
 * @param skippedPeriods ticks skipped after a stall: no frame sent, and the received frame of the period played out
 *     unheard
 * @param stallDrops received packets the jitter buffer dropped (late or discarded) because of our stalls; for G.711
 *     counted in 10 ms frames, as the buffer holds them
 */
public record OwnTiming(long framesDue, long lateOutputFrames, long skippedPeriods, long stallDrops) {

    /** Nothing due yet. */
    public static final OwnTiming NONE = new OwnTiming(0, 0, 0, 0);

    public OwnTiming {
        if (framesDue < 0 || lateOutputFrames < 0 || skippedPeriods < 0 || stallDrops < 0) {
            throw new IllegalArgumentException("negative counts: " + framesDue + ", " + lateOutputFrames + ", "
                    + skippedPeriods + ", " + stallDrops);
        }
    }

    /** Late output frames over the frames due, in percent (0 when none were due). */
    public double lateOutputPercent() {
        return framesDue == 0 ? 0 : 100.0 * lateOutputFrames / framesDue;
    }
}
