package io.warmline.media.quality;

import io.warmline.media.jitter.JitterBufferStats;
import io.warmline.media.stats.ReceptionStats;
import java.util.OptionalLong;

/**
 * A call-quality estimate for one receiving leg, for events and metrics.
 *
 * @param oneWayDelayMillis mouth-to-ear delay estimate: network one-way delay + jitter-buffer delay + frame + codec
 *     look-ahead
 * @param lossPercent packets lost in the network, late, or discarded by the jitter buffer, over those expected
 * @param rFactor simplified G.107 R
 * @param mos G.107 Annex B MOS from R
 */
public record CallQuality(double oneWayDelayMillis, double lossPercent, double rFactor, double mos) {

    /**
     * Estimates from raw figures.
     *
     * @param networkOneWayMillis half the RTCP round-trip time, or a configured estimate when none is known yet
     * @param jitterBufferMillis the jitter buffer's current delay
     * @param frameMillis packetisation (the frame duration, usually 20)
     * @param expected packets expected (received + lost); 0 means nothing to judge loss by yet (taken as no loss)
     * @param impaired packets lost, late or discarded
     */
    public static CallQuality estimate(CodecImpairment codec, double networkOneWayMillis, double jitterBufferMillis,
            double frameMillis, long expected, long impaired) {
        if (expected < 0 || impaired < 0) {
            throw new IllegalArgumentException("negative packet counts: " + expected + ", " + impaired);
        }
        double delay = networkOneWayMillis + jitterBufferMillis + frameMillis + codec.lookaheadMillis();
        double loss = expected == 0 ? 0 : Math.min(100, 100.0 * impaired / expected);
        double r = EModel.rFactor(delay, codec, loss);
        return new CallQuality(delay, loss, r, EModel.mos(r));
    }

    /**
     * Estimates from a jitter buffer's counters: network losses, packets that came too late to play, and packets the
     * buffer discarded all count as lost to the listener.
     */
    public static CallQuality fromJitterBuffer(CodecImpairment codec, JitterBufferStats stats,
            double networkOneWayMillis, double frameMillis) {
        long expected = stats.received() + stats.lost();
        long impaired = stats.lost() + stats.late() + stats.discarded();
        return estimate(codec, networkOneWayMillis, stats.currentDelayMillis(), frameMillis, expected, impaired);
    }

    /**
     * Estimates from a leg's RTP reception statistics (RFC 3550 A.3 cumulative loss; duplicates never make the loss
     * negative here) plus the packets the receiver threw away itself (late or discarded by its jitter buffer).
     */
    public static CallQuality fromReception(CodecImpairment codec, ReceptionStats stats, long discardedByReceiver,
            double networkOneWayMillis, double jitterBufferMillis, double frameMillis) {
        long impaired = Math.max(0, stats.cumulativeLost()) + discardedByReceiver;
        return estimate(codec, networkOneWayMillis, jitterBufferMillis, frameMillis, stats.expected(), impaired);
    }

    /** Half the RTCP round-trip time ({@code stats.RoundTrip}) in ms, or {@code fallbackMillis} before one is known. */
    public static double oneWayFromRoundTrip(OptionalLong rttNanos, double fallbackMillis) {
        return rttNanos.isPresent() ? rttNanos.getAsLong() / 2e6 : fallbackMillis;
    }
}
