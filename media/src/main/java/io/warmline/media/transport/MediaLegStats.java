package io.warmline.media.transport;

/**
 * A snapshot of one {@link MediaLeg}'s counters. Reception quality comes from RFC 3550 A.3 (loss) and A.8
 * (jitter); round-trip time from RTCP report blocks about our SSRC (RFC 3550 §6.4.1).
 *
 * @param packetsIn valid RTP packets accepted from the latched source
 * @param bytesIn bytes of those packets (whole datagrams)
 * @param packetsOut RTP packets handed to the socket
 * @param bytesOut bytes of those packets
 * @param malformedDropped datagrams on either port that were neither valid RTP nor valid RTCP
 * @param foreignSourceDropped packets from a source other than the latched one
 * @param sendDropped outgoing packets dropped (no remote known yet, leg closed, socket not writable)
 * @param rtcpIn RTCP compound packets accepted
 * @param rtcpOut RTCP compound packets sent
 * @param fractionLost fraction of packets lost in the last reception interval, 0..1
 * @param cumulativeLost packets lost since reception began (may be negative with duplicates, RFC 3550 §6.4.1)
 * @param jitterMs interarrival jitter in milliseconds
 * @param rttMs round-trip time in milliseconds, or -1 when unknown
 * @param lastRtcpSentNanos clock time of the last RTCP sent, or -1
 * @param lastRtcpReceivedNanos clock time of the last RTCP received, or -1
 */
public record MediaLegStats(
        long packetsIn,
        long bytesIn,
        long packetsOut,
        long bytesOut,
        long malformedDropped,
        long foreignSourceDropped,
        long sendDropped,
        long rtcpIn,
        long rtcpOut,
        double fractionLost,
        long cumulativeLost,
        double jitterMs,
        double rttMs,
        long lastRtcpSentNanos,
        long lastRtcpReceivedNanos) {
}
