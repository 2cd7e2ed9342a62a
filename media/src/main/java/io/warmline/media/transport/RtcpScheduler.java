package io.warmline.media.transport;

import io.warmline.media.rtcp.Bye;
import io.warmline.media.rtcp.ReceiverReport;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtcp.RtcpPacket;
import io.warmline.media.rtcp.SenderReport;
import io.warmline.media.rtcp.SourceDescription;
import io.warmline.media.stats.ReceptionStats;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Decides when one leg sends RTCP and builds the compound packet; sans-IO, so its owner passes the current
 * monotonic time and the matching wall-clock time as a 64-bit NTP timestamp (RFC 3550 §4).
 *
 * <p>Timing (RFC 3550 §6.2, §6.3.1, A.7): a point-to-point audio call's RTCP bandwidth share always yields an
 * interval below the 5 s minimum, so the deterministic interval is 5 s (2.5 s before the first report), randomized
 * uniformly over [0.5, 1.5] and divided by e − 3/2 to compensate for timer reconsideration.
 *
 * <p>Content (RFC 3550 §6.1, §6.4): a sender report when we sent RTP since the previous report, else a receiver
 * report; one report block on the remote source once it has been heard (LSR/DLSR kept by its
 * {@link ReceptionStats}); then an SDES with our CNAME; on leaving, a BYE last (§6.6).
 *
 * <p>Not thread-safe: confined to the owning leg's event loop.
 */
public final class RtcpScheduler {

    static final long MIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final double COMPENSATION = Math.E - 1.5;

    private final long ssrc;
    private final SourceDescription sdes;
    private final RandomGenerator random;
    private long nextDeadline;
    private boolean sentSinceReport;
    private long lastRtpTimestamp;
    private long lastRtpNanos;
    private long packetCount;
    private long octetCount;

    /**
     * Schedules the first report at half the minimum interval (RFC 3550 §6.2), randomized.
     *
     * @param ssrc our SSRC
     * @param cname our SDES CNAME (RFC 3550 §6.5.1)
     */
    public RtcpScheduler(long ssrc, String cname, RandomGenerator random, long nowNanos) {
        this.ssrc = ssrc;
        this.sdes = SourceDescription.cname(ssrc, cname);
        this.random = random;
        this.nextDeadline = nowNanos + randomized(MIN_INTERVAL_NANOS / 2);
    }

    public long nextDeadline() {
        return nextDeadline;
    }

    public boolean isDue(long nowNanos) {
        return nowNanos - nextDeadline >= 0;
    }

    /**
     * Records an RTP packet we sent: its timestamp and its payload length (the sender's octet count excludes header
     * and padding, RFC 3550 §6.4.1).
     */
    public void onRtpSent(long rtpTimestamp, int payloadOctets, long nowNanos) {
        sentSinceReport = true;
        lastRtpTimestamp = rtpTimestamp & 0xFFFFFFFFL;
        lastRtpNanos = nowNanos;
        packetCount = (packetCount + 1) & 0xFFFFFFFFL;
        octetCount = (octetCount + payloadOctets) & 0xFFFFFFFFL;
    }

    /**
     * The compound report that is due, or null when none is; schedules the next one.
     *
     * @param ntpNow wall-clock time matching {@code nowNanos}, as a 64-bit NTP timestamp
     * @param clockRate RTP clock rate of what we send, to carry the SR's RTP timestamp forward to now
     * @param remote statistics of the remote source, or null when none has been heard
     * @param remoteSsrc the remote source's SSRC (ignored when {@code remote} is null)
     */
    public List<RtcpPacket> poll(long nowNanos, long ntpNow, int clockRate, ReceptionStats remote, long remoteSsrc) {
        if (!isDue(nowNanos)) {
            return null;
        }
        return List.of(report(nowNanos, ntpNow, clockRate, remote, remoteSsrc), sdes);
    }

    /** The compound to send when leaving: a report, our CNAME and a BYE (RFC 3550 §6.6). */
    public List<RtcpPacket> bye(long nowNanos, long ntpNow, int clockRate, ReceptionStats remote, long remoteSsrc) {
        return List.of(report(nowNanos, ntpNow, clockRate, remote, remoteSsrc), sdes, Bye.of(ssrc));
    }

    private RtcpPacket report(long nowNanos, long ntpNow, int clockRate, ReceptionStats remote, long remoteSsrc) {
        List<ReportBlock> blocks = remote != null && remote.valid()
                ? List.of(remote.toReportBlock(remoteSsrc & 0xFFFFFFFFL, nowNanos))
                : List.of();
        RtcpPacket report;
        if (sentSinceReport) {
            // §6.4.1: the RTP timestamp of the same instant as the NTP timestamp
            long elapsed = Math.max(0L, nowNanos - lastRtpNanos);
            long samples = elapsed / 1_000_000L * clockRate / 1000L;
            report = new SenderReport(ssrc, ntpNow, (lastRtpTimestamp + samples) & 0xFFFFFFFFL, packetCount,
                    octetCount, blocks);
        } else {
            report = new ReceiverReport(ssrc, blocks);
        }
        sentSinceReport = false;
        nextDeadline = nowNanos + randomized(MIN_INTERVAL_NANOS);
        return report;
    }

    private long randomized(long interval) {
        return (long) (interval * (0.5 + random.nextDouble()) / COMPENSATION);
    }
}
