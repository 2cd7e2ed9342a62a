package io.warmline.media.quality;

import io.warmline.media.jitter.JitterBufferStats;
import io.warmline.media.stats.ReceptionStats;
import java.util.OptionalLong;

/**
 * A call-quality estimate for one direction of a leg, for events and metrics.
 *
 * <p>Loss is what the network lost: the gaps in the RTP sequence numbers we received (RFC 3550 §6.4.1 cumulative
 * loss), or what the far end's RTCP reports say it did not receive of ours. Packets that arrived but came later than
 * the receiver's jitter buffer could wait for are counted apart as discarded. The E-model counts both as lost to the
 * listener (G.107 §7.4: Ppl includes packets discarded by the receiver's buffer). Packets dropped because our own loop
 * stalled are neither: they are reported with {@link OwnTiming}.
 *
 * @param oneWayDelayMillis mouth-to-ear delay estimate: network one-way delay + jitter-buffer delay + frame + codec
 *     look-ahead
 * @param lossPercent packets lost in the network over those expected
 * @param discardPercent packets that arrived too late for the receiver's jitter buffer (network jitter beyond its
 *     delay) over those expected
 * @param rFactor simplified G.107 R, with the packet-loss probability {@code lossPercent + discardPercent}
 * @param mos G.107 Annex B MOS from R
 */
public record CallQuality(double oneWayDelayMillis, double lossPercent, double discardPercent, double rFactor,
        double mos) {

    /** Estimates from raw figures, with nothing discarded by the receiver. */
    public static CallQuality estimate(CodecImpairment codec, double networkOneWayMillis, double jitterBufferMillis,
            double frameMillis, long expected, long lost) {
        return estimate(codec, networkOneWayMillis, jitterBufferMillis, frameMillis, expected, lost, 0);
    }

    /**
     * Estimates from raw figures.
     *
     * @param networkOneWayMillis half the RTCP round-trip time, or a configured estimate when none is known yet
     * @param jitterBufferMillis the jitter buffer's current delay
     * @param frameMillis packetisation (the frame duration, usually 20)
     * @param expected packets expected (received + lost); 0 means nothing to judge loss by yet (taken as no loss)
     * @param lost packets the network lost
     * @param discarded packets the receiver dropped as too late for its buffer, not for a stall of its own
     */
    public static CallQuality estimate(CodecImpairment codec, double networkOneWayMillis, double jitterBufferMillis,
            double frameMillis, long expected, long lost, long discarded) {
        if (expected < 0 || lost < 0 || discarded < 0) {
            throw new IllegalArgumentException("negative packet counts: " + expected + ", " + lost + ", " + discarded);
        }
        double delay = networkOneWayMillis + jitterBufferMillis + frameMillis + codec.lookaheadMillis();
        double loss = percent(lost, expected);
        double discard = Math.min(100 - loss, percent(discarded, expected));
        double r = EModel.rFactor(delay, codec, loss + discard);
        return new CallQuality(delay, loss, discard, r, EModel.mos(r));
    }

    /**
     * Estimates from a jitter buffer's counters: its sequence-number gaps are the network's loss; the packets it
     * played late or discarded are discards, except the {@code ownDrops} of them that our own stalls caused
     * ({@link StallLedger}).
     */
    public static CallQuality fromJitterBuffer(CodecImpairment codec, JitterBufferStats stats, long ownDrops,
            double networkOneWayMillis, double frameMillis) {
        long expected = stats.received() + stats.lost();
        long discarded = Math.max(0, stats.late() + stats.discarded() - Math.max(0, ownDrops));
        return estimate(codec, networkOneWayMillis, stats.currentDelayMillis(), frameMillis, expected, stats.lost(),
                discarded);
    }

    /**
     * Estimates from a leg's RTP reception statistics (RFC 3550 A.3 cumulative loss; duplicates never make the loss
     * negative here) plus the packets the receiver threw away itself (late or discarded by its jitter buffer).
     */
    public static CallQuality fromReception(CodecImpairment codec, ReceptionStats stats, long discardedByReceiver,
            double networkOneWayMillis, double jitterBufferMillis, double frameMillis) {
        return estimate(codec, networkOneWayMillis, jitterBufferMillis, frameMillis, stats.expected(),
                Math.max(0, stats.cumulativeLost()), discardedByReceiver);
    }

    /** Half the RTCP round-trip time ({@code stats.RoundTrip}) in ms, or {@code fallbackMillis} before one is known. */
    public static double oneWayFromRoundTrip(OptionalLong rttNanos, double fallbackMillis) {
        return rttNanos.isPresent() ? rttNanos.getAsLong() / 2e6 : fallbackMillis;
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? 0 : Math.min(100, 100.0 * part / whole);
    }
}
