package io.warmline.media.jitter;

/**
 * A snapshot of a {@link JitterBuffer}'s counters and delays (all counts since creation, across SSRC resets).
 *
 * @param received packets accepted or late (duplicates and malformed ones excluded)
 * @param lost packets never received, from sequence-number gaps (RFC 3550 §6.4.1 cumulative loss)
 * @param late packets that arrived after their playout time
 * @param duplicates packets whose sequence number had been received, or whose timestamp was buffered, already
 * @param discarded buffered packets thrown away: overflow of the capacity, or flushed at a stream discontinuity
 * @param malformed packets refused for their size
 * @param played frames handed out as {@link PlayoutFrame.Kind#AUDIO}
 * @param concealed frames handed out as {@link PlayoutFrame.Kind#MISSING}
 * @param accelerated frames dropped to shorten the delay
 * @param expanded frames inserted (as {@link PlayoutFrame.Kind#MISSING}) to lengthen the delay
 * @param resets SSRC changes
 * @param discontinuities timestamp or sequence jumps that restarted the playout timeline
 * @param targetDelayMillis delay the buffer is steering to
 * @param currentDelayMillis delay a packet with the least observed network transit spends in the buffer
 * @param jitterMillis RFC 3550 §6.4.1 interarrival jitter
 */
public record JitterBufferStats(
        long received,
        long lost,
        long late,
        long duplicates,
        long discarded,
        long malformed,
        long played,
        long concealed,
        long accelerated,
        long expanded,
        long resets,
        long discontinuities,
        double targetDelayMillis,
        double currentDelayMillis,
        double jitterMillis) {
}
