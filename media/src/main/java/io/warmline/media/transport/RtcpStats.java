package io.warmline.media.transport;

/**
 * A snapshot of one endpoint's RTCP: what we measured on the stream we receive (RFC 3550 A.3, A.8), what the peer
 * reported about the stream we send (its report block about our SSRC, §6.4.1), and the round-trip time from LSR/DLSR.
 *
 * @param reportsSent RTCP compounds sent
 * @param reportsReceived valid RTCP compounds received
 * @param malformed RTCP datagrams that failed validation (RFC 3550 A.2) or unprotection, dropped
 * @param expected packets expected from the remote source (A.3), 0 before it is valid
 * @param cumulativeLost expected minus received; negative when duplicates outnumber losses (A.3)
 * @param fractionLost our loss fraction of the current reporting interval, 0..1
 * @param jitterMillis our interarrival jitter estimate of the remote source (A.8), in ms
 * @param remoteReports report blocks about our SSRC received
 * @param remoteFractionLost fraction of our packets the peer reported lost in its last interval, 0..1; -1 before
 *     any report
 * @param remoteCumulativeLost our packets the peer reported lost in all, 0 before any report
 * @param remoteJitterMillis the peer's jitter estimate of our stream, in ms; -1 before any report
 * @param rttMillis round-trip time from the last report carrying LSR/DLSR (§6.4.1), -1 while unknown
 */
public record RtcpStats(
        long reportsSent,
        long reportsReceived,
        long malformed,
        long expected,
        long cumulativeLost,
        double fractionLost,
        double jitterMillis,
        long remoteReports,
        double remoteFractionLost,
        long remoteCumulativeLost,
        double remoteJitterMillis,
        double rttMillis) {

    /** Whether the peer has reported on our stream. */
    public boolean hasRemoteReport() {
        return remoteReports > 0;
    }
}
