package io.warmline.media.bridge;

/**
 * A snapshot of a {@link MediaBridge}'s counters since it started (legs removed meanwhile included).
 *
 * <p>A tick is <em>late</em> when it starts more than {@link MediaBridge#LATE_NANOS} (10 ms) after its deadline on
 * the 20 ms grid. An output frame is late when it is handed to its endpoint more than 10 ms after its tick's
 * deadline; a frame that was due but never sent because its tick was skipped after a stall counts as late too.
 *
 * @param ticks mixer ticks run
 * @param skippedTicks ticks dropped after a stall rather than run in a burst (see {@link
 *     io.warmline.media.mix.MediaClock})
 * @param lateTicks ticks that started more than 10 ms after their deadline
 * @param maxTickLatenessMillis the most any tick started after its deadline
 * @param framesDue output frames due over all legs: one per leg per tick, skipped ticks included
 * @param outputFrames frames sent over all legs (audio and injected packets; DTX silence is not sent)
 * @param lateOutputFrames frames sent late, or due in a skipped tick, over all legs
 * @param encodes frames encoded
 * @param sharedEncodes frames sent with the payload of another leg's encode of the same mix and codec
 * @param legs legs in the bridge now
 * @param sources sources in the bridge now
 * @param sinks sinks in the bridge now
 * @param callbackErrors exceptions thrown by taps, hooks, sources and sinks (caught, counted, logged)
 */
public record BridgeStats(
        long ticks,
        long skippedTicks,
        long lateTicks,
        double maxTickLatenessMillis,
        long framesDue,
        long outputFrames,
        long lateOutputFrames,
        long encodes,
        long sharedEncodes,
        int legs,
        int sources,
        int sinks,
        long callbackErrors) {

    /** Late output frames as a fraction of the frames due (0 when none were due). */
    public double lateFraction() {
        return framesDue == 0 ? 0.0 : (double) lateOutputFrames / framesDue;
    }
}
