package io.warmline.media.quality;

import io.warmline.media.jitter.JitterBufferStats;
import io.warmline.media.transport.RtcpStats;

/**
 * Call quality of one terminated leg in both directions, for events and metrics.
 *
 * <ul>
 *   <li>{@code receive}: what the network did to what we receive — loss from the RTP sequence numbers, packets our
 *       jitter buffer dropped because they came later than its delay allowed, its delay, and half the RTCP round-trip
 *       time as the network's one-way delay.</li>
 *   <li>{@code send}: what the network did to what we send — the loss the far end reports in its RTCP report blocks
 *       about our stream (cumulative, over the packets we sent) with the same one-way delay. Its jitter-buffer delay
 *       is not reported, so ours stands in for it (a symmetric path). Null until the far end has reported.</li>
 *   <li>{@code rFactor} and {@code mos}: the worse direction, since a conversation is only as good as the worse way
 *       it is heard (the E-model rates one direction at a time, G.107 §1).</li>
 *   <li>{@code own}: what this process failed to do on time (frames sent late or skipped, received packets dropped
 *       because our loop stalled), reported apart.</li>
 * </ul>
 *
 * <p>The E-model here rates the network path and the codecs, not exactly what the listener heard: a stall of our own
 * loses audio in both directions (see {@link OwnTiming}) but is not counted as loss, so a starved machine shows up in
 * {@code own} and in the bridge's late-frame counters, not as a lower MOS. Our stalls can still raise the jitter
 * buffer's delay for a while (packets read late look like network jitter to it), and that delay is in the estimate.
 *
 * @param rttMillis the RTCP round-trip time, -1 while unknown (the network delay is then taken as 0)
 */
public record LegQuality(CallQuality receive, CallQuality send, double rttMillis, double rFactor, double mos,
        OwnTiming own) {

    /** The frame duration every bridge leg uses. */
    private static final double FRAME_MILLIS = 20;

    /**
     * @param receiveCodec the codec we decode, {@code sendCodec} the one we encode
     * @param jitter the leg's jitter buffer
     * @param ownDropsInBuffer the packets of {@code jitter}'s late and discarded counts that our stalls caused
     *     ({@link StallLedger#ownDropsInBuffer()})
     * @param rtcp the endpoint's RTCP statistics, or null when it runs none
     * @param packetsSent RTP packets we sent on the leg (what the far end's cumulative loss is out of)
     * @param own what this process failed to do on time on the leg
     */
    public static LegQuality of(CodecImpairment receiveCodec, CodecImpairment sendCodec, JitterBufferStats jitter,
            long ownDropsInBuffer, RtcpStats rtcp, long packetsSent, OwnTiming own) {
        double rtt = rtcp == null ? -1 : rtcp.rttMillis();
        double oneWay = rtt < 0 ? 0 : rtt / 2;
        CallQuality receive = CallQuality.fromJitterBuffer(receiveCodec, jitter, ownDropsInBuffer, oneWay,
                FRAME_MILLIS);
        CallQuality send = null;
        if (rtcp != null && rtcp.hasRemoteReport()) {
            // RFC 3550 §6.4.1: from the far end's sequence numbers; ticks we skipped used none
            long lost = Math.max(0, rtcp.remoteCumulativeLost());
            long expected = Math.max(packetsSent, lost);
            send = CallQuality.estimate(sendCodec, oneWay, jitter.currentDelayMillis(), FRAME_MILLIS, expected, lost);
        }
        CallQuality worse = send != null && send.rFactor() < receive.rFactor() ? send : receive;
        return new LegQuality(receive, send, rtt, worse.rFactor(), worse.mos(), own);
    }
}
