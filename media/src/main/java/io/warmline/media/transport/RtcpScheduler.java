package io.warmline.media.transport;

import java.util.random.RandomGenerator;

/**
 * Decides when one leg sends RTCP and what goes into the report; sans-IO, so its owner passes the current
 * monotonic time and the matching NTP wall-clock time (RFC 3550 §4: 32.32 fixed-point seconds since 1900).
 *
 * <p>Timing (RFC 3550 §6.2, §6.3.1, A.7): a point-to-point audio call's RTCP bandwidth share always yields an
 * interval below the 5 s minimum, so the deterministic interval is 5 s (2.5 s before the first report), randomized
 * uniformly over [0.5, 1.5] and divided by e − 3/2 to compensate for timer reconsideration.
 *
 * <p>Content: a sender report when RTP was sent since the previous report, else a receiver report (RFC 3550
 * §6.4); LSR/DLSR from the last sender report received (§6.4.1). Round-trip time comes from a report block about
 * our SSRC: RTT = A − LSR − DLSR in units of 1/65536 s.
 *
 * <p>Not thread-safe: confined to the owning leg's event loop.
 */
public final class RtcpScheduler {

    static final long MIN_INTERVAL_NANOS = 5_000_000_000L;
    private static final double COMPENSATION = Math.E - 1.5;

    /** What the next compound packet reports about our sending (RFC 3550 §6.4.1). */
    public record Report(
            boolean senderReport,
            long ntpTimestamp,
            long rtpTimestamp,
            long packetCount,
            long octetCount,
            long lastSr,
            long delaySinceLastSr) {
    }

    private final RandomGenerator random;
    private long nextDeadline;
    private boolean sentSinceReport;
    private long lastRtpTimestamp;
    private long lastRtpNanos;
    private long packetCount;
    private long octetCount;
    private boolean haveSr;
    private long lastSrMiddle;
    private long lastSrArrivalNanos;
    private long lastReportNanos = -1;

    /** Schedules the first report at half the minimum interval (RFC 3550 §6.2), randomized. */
    public RtcpScheduler(RandomGenerator random, long nowNanos) {
        this.random = random;
        this.nextDeadline = nowNanos + randomized(MIN_INTERVAL_NANOS / 2);
    }

    public long nextDeadline() {
        return nextDeadline;
    }

    public boolean isDue(long nowNanos) {
        return nowNanos - nextDeadline >= 0;
    }

    /** Time of the last report produced by {@link #poll}, or -1. */
    public long lastReportNanos() {
        return lastReportNanos;
    }

    /**
     * Records an RTP packet we sent: its timestamp and its payload length (RFC 3550 §6.4.1 sender's octet count
     * excludes header and padding).
     */
    public void onRtpSent(long rtpTimestamp, int payloadOctets, long nowNanos) {
        sentSinceReport = true;
        lastRtpTimestamp = rtpTimestamp & 0xFFFFFFFFL;
        lastRtpNanos = nowNanos;
        packetCount = (packetCount + 1) & 0xFFFFFFFFL;
        octetCount = (octetCount + payloadOctets) & 0xFFFFFFFFL;
    }

    /** Records a sender report from the peer, for LSR/DLSR in our next report. */
    public void onSenderReport(long ntpTimestamp, long nowNanos) {
        haveSr = true;
        lastSrMiddle = (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
        lastSrArrivalNanos = nowNanos;
    }

    /**
     * Round-trip time from a report block about our SSRC, in nanoseconds, or -1 when the block carries no LSR
     * (the peer has not heard a sender report from us) or the result is negative (clock trouble).
     *
     * @param ntpNow arrival time of the report as a 64-bit NTP timestamp
     */
    public static long roundTripNanos(long lastSr, long delaySinceLastSr, long ntpNow) {
        if (lastSr == 0) {
            return -1;
        }
        long arrival = (ntpNow >>> 16) & 0xFFFFFFFFL;
        long rtt = (arrival - lastSr - delaySinceLastSr) & 0xFFFFFFFFL;
        if (rtt >= 0x8000_0000L) {
            return -1;
        }
        return rtt * 1_000_000_000L >>> 16;
    }

    /**
     * Produces the report that is due, or null when none is. Schedules the next one.
     *
     * @param ntpNow wall-clock time matching {@code nowNanos}, as a 64-bit NTP timestamp
     * @param clockRate RTP clock rate of what we send, to extrapolate the SR's RTP timestamp to now
     */
    public Report poll(long nowNanos, long ntpNow, int clockRate) {
        if (!isDue(nowNanos)) {
            return null;
        }
        return report(nowNanos, ntpNow, clockRate);
    }

    /** The report to send now regardless of the schedule (a BYE's leading report, RFC 3550 §6.6). */
    public Report report(long nowNanos, long ntpNow, int clockRate) {
        long lsr = 0;
        long dlsr = 0;
        if (haveSr) {
            lsr = lastSrMiddle;
            dlsr = Math.min(0xFFFFFFFFL, ((nowNanos - lastSrArrivalNanos) << 16) / 1_000_000_000L);
        }
        Report r;
        if (sentSinceReport) {
            long elapsedSamples = (nowNanos - lastRtpNanos) / 1_000_000L * clockRate / 1000L;
            r = new Report(true, ntpNow, (lastRtpTimestamp + elapsedSamples) & 0xFFFFFFFFL, packetCount,
                    octetCount, lsr, dlsr);
        } else {
            r = new Report(false, ntpNow, 0, 0, 0, lsr, dlsr);
        }
        sentSinceReport = false;
        lastReportNanos = nowNanos;
        nextDeadline = nowNanos + randomized(MIN_INTERVAL_NANOS);
        return r;
    }

    private long randomized(long interval) {
        return (long) (interval * (0.5 + random.nextDouble()) / COMPENSATION);
    }

    /** Converts Unix time in nanoseconds to a 64-bit NTP timestamp (RFC 5905 §6: era 0 began 1900-01-01). */
    public static long ntpFromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, 1_000_000_000L) + 2_208_988_800L;
        long nanos = Math.floorMod(unixNanos, 1_000_000_000L);
        return (seconds << 32) | ((nanos << 32) / 1_000_000_000L);
    }
}
