package io.warmline.media.quality;

import io.warmline.media.jitter.JitterBufferStats;
import io.warmline.media.transport.RtcpStats;

/**
 * Call quality of one terminated leg in both directions, for events and metrics.
 *
 * <ul>
 *   <li>{@code receive}: what we play out of this leg — network loss, late and discarded packets as our jitter
 *       buffer counted them, its delay, and half the RTCP round-trip time as the network's one-way delay.</li>
 *   <li>{@code send}: what the far end hears from us — the loss it reports in its RTCP report blocks about our
 *       stream (cumulative, over the packets we sent) with the same one-way delay. Its jitter-buffer delay is not
 *       reported, so ours stands in for it (a symmetric path). Null until the far end has reported.</li>
 *   <li>{@code rFactor} and {@code mos}: the worse direction, since a conversation is only as good as the worse way
 *       it is heard (the E-model rates one direction at a time, G.107 §1).</li>
 * </ul>
 *
 * @param rttMillis the RTCP round-trip time, -1 while unknown (the network delay is then taken as 0)
 */
public record LegQuality(CallQuality receive, CallQuality send, double rttMillis, double rFactor, double mos) {

    /** The frame duration every bridge leg uses. */
    private static final double FRAME_MILLIS = 20;

    /**
     * @param receiveCodec the codec we decode, {@code sendCodec} the one we encode
     * @param jitter the leg's jitter buffer
     * @param rtcp the endpoint's RTCP statistics, or null when it runs none
     * @param packetsSent RTP packets we sent on the leg (what the far end's cumulative loss is out of)
     */
    public static LegQuality of(CodecImpairment receiveCodec, CodecImpairment sendCodec, JitterBufferStats jitter,
            RtcpStats rtcp, long packetsSent) {
        double rtt = rtcp == null ? -1 : rtcp.rttMillis();
        double oneWay = rtt < 0 ? 0 : rtt / 2;
        CallQuality receive = CallQuality.fromJitterBuffer(receiveCodec, jitter, oneWay, FRAME_MILLIS);
        CallQuality send = null;
        if (rtcp != null && rtcp.hasRemoteReport()) {
            long lost = Math.max(0, rtcp.remoteCumulativeLost());
            long expected = Math.max(packetsSent, lost);
            send = CallQuality.estimate(sendCodec, oneWay, jitter.currentDelayMillis(), FRAME_MILLIS, expected, lost);
        }
        CallQuality worse = send != null && send.rFactor() < receive.rFactor() ? send : receive;
        return new LegQuality(receive, send, rtt, worse.rFactor(), worse.mos());
    }
}
