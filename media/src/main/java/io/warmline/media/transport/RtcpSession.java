package io.warmline.media.transport;

import io.netty.buffer.ByteBuf;
import io.warmline.media.rtcp.NtpTime;
import io.warmline.media.rtcp.ReceiverReport;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtcp.RtcpException;
import io.warmline.media.rtcp.RtcpPacket;
import io.warmline.media.rtcp.RtcpParser;
import io.warmline.media.rtcp.SenderReport;
import io.warmline.media.stats.ReceptionStats;
import io.warmline.media.stats.RoundTrip;
import java.util.List;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * The RTCP side of one RTP endpoint, shared by plain UDP legs ({@link MediaLeg}) and WebRTC legs (which protect and
 * unprotect with SRTCP around it). Sans-IO: the owner passes every RTP packet it receives and sends, every RTCP
 * compound it receives (after SRTCP), and the current monotonic time; it polls for the compound that is due
 * ({@link RtcpScheduler}: SR or RR, SDES CNAME, about every 5 s) and writes it.
 *
 * <p>What it measures: the remote source's reception statistics (RFC 3550 A.1, A.3, A.8; a new SSRC starts them
 * afresh, §8.2) with the LSR of its last SR; from the peer's report block about our SSRC its loss and jitter on our
 * stream and the round-trip time A − LSR − DLSR (§6.4.1). Wall-clock (NTP) time is derived from one anchor pair given
 * at construction, so the SR timestamps and the arrival times used for the RTT come from the same clock.
 *
 * <p>Not thread-safe: confined to the owning endpoint's event loop.
 */
public final class RtcpSession {

    private final long localSsrc;
    private final RtcpScheduler scheduler;
    private final long monoAnchorNanos;
    private final long wallAnchorUnixNanos;

    private ReceptionStats remote;
    private long remoteSsrc;
    private int remoteClockRate = 8000;

    private long reportsSent;
    private long reportsReceived;
    private long malformed;
    private long remoteReports;
    private ReportBlock lastRemoteReport;
    private long rttNanos = -1;

    /**
     * @param localSsrc our SSRC
     * @param cname our SDES CNAME (RFC 3550 §6.5.1)
     * @param nowNanos the owner's monotonic time now
     * @param wallUnixNanos the wall-clock time at {@code nowNanos}, in nanoseconds since the Unix epoch
     */
    public RtcpSession(long localSsrc, String cname, RandomGenerator random, long nowNanos, long wallUnixNanos) {
        this.localSsrc = localSsrc & 0xFFFFFFFFL;
        this.scheduler = new RtcpScheduler(this.localSsrc, cname, random, nowNanos);
        this.monoAnchorNanos = nowNanos;
        this.wallAnchorUnixNanos = wallUnixNanos;
    }

    public long localSsrc() {
        return localSsrc;
    }

    /** Accounts one RTP packet received from the remote (header fields given). */
    public void onRtpReceived(long ssrc, int sequence, long rtpTimestamp, int clockRate, long nowNanos) {
        ssrc &= 0xFFFFFFFFL;
        if (remote == null || ssrc != remoteSsrc || clockRate != remoteClockRate) {
            remote = new ReceptionStats(clockRate);
            remoteSsrc = ssrc;
            remoteClockRate = clockRate;
        }
        remote.onPacket(sequence, rtpTimestamp, nowNanos);
    }

    /** Accounts one RTP packet we sent: its timestamp and payload length (§6.4.1 sender's octet count). */
    public void onRtpSent(long rtpTimestamp, int payloadOctets, long nowNanos) {
        scheduler.onRtpSent(rtpTimestamp, payloadOctets, nowNanos);
    }

    /**
     * Takes one received RTCP compound (plain; SRTCP already removed). The buffer is read, not released.
     *
     * @return the peer's report block about our SSRC in it, or null when it has none
     * @throws RtcpException when the compound is malformed (counted here; the caller drops it)
     */
    public ReportBlock onRtcp(ByteBuf compound, long nowNanos) throws RtcpException {
        List<RtcpPacket> packets;
        try {
            packets = RtcpParser.parse(compound);
        } catch (RtcpException e) {
            malformed++;
            throw e;
        }
        reportsReceived++;
        ReportBlock aboutUs = null;
        for (RtcpPacket p : packets) {
            List<ReportBlock> blocks;
            if (p instanceof SenderReport sr) {
                if (remote != null && sr.ssrc() == remoteSsrc) {
                    remote.onSenderReport(sr.ntpTimestamp(), nowNanos);
                }
                blocks = sr.reports();
            } else if (p instanceof ReceiverReport rr) {
                blocks = rr.reports();
            } else {
                continue;
            }
            for (ReportBlock b : blocks) {
                if (b.ssrc() == localSsrc) {
                    aboutUs = b;
                }
            }
        }
        if (aboutUs != null) {
            remoteReports++;
            lastRemoteReport = aboutUs;
            OptionalLong rtt = RoundTrip.rttNanos(aboutUs, NtpTime.middle32(ntpAt(nowNanos)));
            if (rtt.isPresent()) {
                rttNanos = rtt.getAsLong();
            }
        }
        return aboutUs;
    }

    /** Counts an RTCP datagram the owner dropped before parsing (SRTCP authentication, unprotection). */
    public void countMalformed() {
        malformed++;
    }

    /** When the next report is due, on the owner's monotonic clock. */
    public long nextDeadline() {
        return scheduler.nextDeadline();
    }

    /**
     * The compound that is due at {@code nowNanos} (a report with our block on the remote source, and SDES), or null
     * when none is; schedules the next one. The owner writes it and calls {@link #onSent}.
     *
     * @param sendClockRate RTP clock rate of what we send (for the SR's RTP timestamp)
     */
    public List<RtcpPacket> poll(long nowNanos, int sendClockRate) {
        return scheduler.poll(nowNanos, ntpAt(nowNanos), sendClockRate, validRemote(), remoteSsrc);
    }

    /** The compound to send when leaving: report, SDES and BYE (RFC 3550 §6.6). */
    public List<RtcpPacket> bye(long nowNanos, int sendClockRate) {
        return scheduler.bye(nowNanos, ntpAt(nowNanos), sendClockRate, validRemote(), remoteSsrc);
    }

    /** Counts a compound the owner handed to its socket. */
    public void onSent() {
        reportsSent++;
    }

    private ReceptionStats validRemote() {
        return remote != null && remote.valid() ? remote : null;
    }

    /** Wall-clock NTP time for a monotonic instant (RFC 3550 §4). */
    long ntpAt(long nowNanos) {
        return NtpTime.fromUnixNanos(wallAnchorUnixNanos + (nowNanos - monoAnchorNanos));
    }

    /** The remote source's reception statistics, or null before its first packet. */
    public ReceptionStats reception() {
        return remote;
    }

    /** The SSRC of the remote source whose statistics are kept. */
    public long remoteSsrc() {
        return remoteSsrc;
    }

    /** The last round-trip time measured, in ns, or -1. */
    public long rttNanos() {
        return rttNanos;
    }

    /** The peer's last report block about our SSRC, or null. */
    public ReportBlock lastRemoteReport() {
        return lastRemoteReport;
    }

    public long reportsSent() {
        return reportsSent;
    }

    public long reportsReceived() {
        return reportsReceived;
    }

    public long malformed() {
        return malformed;
    }

    /**
     * A snapshot.
     *
     * @param sendClockRate RTP clock rate of what we send: the unit of the peer's jitter figure about our stream
     */
    public RtcpStats stats(int sendClockRate) {
        long expected = 0;
        long lost = 0;
        double fraction = 0;
        double jitterMs = 0;
        if (remote != null) {
            expected = remote.expected();
            lost = remote.cumulativeLost();
            fraction = remote.fractionLost() / 256.0;
            jitterMs = remote.jitter() * 1000.0 / remoteClockRate;
        }
        ReportBlock r = lastRemoteReport;
        return new RtcpStats(reportsSent, reportsReceived, malformed, expected, lost, fraction, jitterMs,
                remoteReports, r == null ? -1 : r.fractionLost() / 256.0, r == null ? 0 : r.cumulativeLost(),
                r == null ? -1 : r.jitter() * 1000.0 / sendClockRate, rttNanos < 0 ? -1 : rttNanos / 1e6);
    }
}
