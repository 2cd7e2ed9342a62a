package io.warmline.bridge.metrics;

import io.warmline.media.bridge.BridgeLegStats;
import io.warmline.media.jitter.JitterBufferStats;
import io.warmline.media.quality.CallQuality;
import io.warmline.media.quality.CodecImpairment;
import io.warmline.media.quality.LegQuality;
import io.warmline.media.transport.MediaLegStats;
import io.warmline.media.transport.RtcpStats;

/**
 * One media leg's reception quality and terminated-media counters at one moment: what the per-leg meters are made of.
 * Counts are since the leg started.
 *
 * <p>A terminated leg's quality is its bridge leg's {@link LegQuality} (the E-model of both directions, the worse
 * one's MOS); a relayed SIP leg, which has no jitter buffer, is judged from its RTP reception statistics alone. In
 * both, an unknown round-trip time counts as no network delay, as {@link LegQuality} does.
 *
 * @param kind the leg's kind (the meters' {@code kind} label)
 * @param packetsReceived RTP packets received; a leg that received none has no quality to judge
 * @param lossFraction packets the network lost (RTP sequence-number gaps) over those expected (0..1), of what we
 *     receive; packets our jitter buffer dropped are not in it (they are in the MOS when the network delivered them
 *     late, and in neither when our own loop stalled: see {@link LegQuality#own()})
 * @param jitterMillis RFC 3550 §6.4.1 interarrival jitter of what we receive
 * @param rttMillis RTCP round-trip time (RFC 3550 §6.4.1), or NaN when unknown
 * @param mos the simplified G.107 E-model's MOS
 * @param jitterLate packets that reached the jitter buffer after their playout time (0 for relayed media)
 * @param jitterLost packets the jitter buffer never received
 * @param jitterDiscarded buffered packets thrown away (overflow, discontinuity)
 * @param concealedFrames frames filled by packet-loss concealment
 * @param malformed packets dropped as malformed: at the RTP socket (SIP legs) and by the bridge leg
 */
public record LegSample(LegKind kind, long packetsReceived, double lossFraction, double jitterMillis,
        double rttMillis, double mos, long jitterLate, long jitterLost, long jitterDiscarded, long concealedFrames,
        long malformed) {

    /** MOS under which a leg counts as poor in {@code warmline_legs_poor_quality} (G.107 Annex B: "some users dissatisfied"). */
    public static final double POOR_MOS = 3.6;
    private static final double FRAME_MILLIS = 20;

    /**
     * A SIP leg: its RTP endpoint's reception statistics (RFC 3550 A.3 loss, A.8 jitter, RTCP round trip) and,
     * while its media is terminated, its bridge leg's quality and jitter-buffer counters.
     *
     * @param bridged the leg in the call's bridge, or null while media is relayed
     * @param opus whether the leg's codec is Opus (else G.711, concealed by the receiver)
     */
    public static LegSample sip(MediaLegStats leg, BridgeLegStats bridged, boolean opus) {
        double rtt = leg.rttMs() >= 0 ? leg.rttMs() : Double.NaN;
        if (bridged != null && bridged.quality() != null) {
            LegQuality q = bridged.quality();
            JitterBufferStats jb = bridged.jitter();
            return new LegSample(LegKind.SIP, leg.packetsIn(), q.receive().lossPercent() / 100, leg.jitterMs(),
                    q.rttMillis() >= 0 ? q.rttMillis() : rtt, q.mos(), jb.late(), jb.lost(), jb.discarded(),
                    bridged.concealedFrames(), leg.malformedDropped() + bridged.malformed());
        }
        long lost = Math.max(0, leg.cumulativeLost());
        long expected = leg.packetsIn() + lost;
        CallQuality q = CallQuality.estimate(opus ? CodecImpairment.OPUS : CodecImpairment.G711_PLC,
                Double.isNaN(rtt) ? 0 : rtt / 2, 0, FRAME_MILLIS, expected, lost);
        return new LegSample(LegKind.SIP, leg.packetsIn(), q.lossPercent() / 100, leg.jitterMs(), rtt, q.mos(),
                0, 0, 0, 0, leg.malformedDropped());
    }

    /** A browser's leg: after SRTP every packet goes through the bridge leg, whose quality and counters it is. */
    public static LegSample webRtc(BridgeLegStats bridged) {
        JitterBufferStats jb = bridged.jitter();
        RtcpStats rtcp = bridged.rtcp();
        LegQuality q = bridged.quality();
        double rtt = q.rttMillis() >= 0 ? q.rttMillis() : Double.NaN;
        return new LegSample(LegKind.WEBRTC, bridged.packetsIn(), q.receive().lossPercent() / 100,
                rtcp != null ? rtcp.jitterMillis() : jb.jitterMillis(), rtt, q.mos(), jb.late(), jb.lost(),
                jb.discarded(), bridged.concealedFrames(), bridged.malformed());
    }

    /** Whether the leg has received anything to judge its quality by. */
    public boolean hasMedia() {
        return packetsReceived > 0;
    }
}
