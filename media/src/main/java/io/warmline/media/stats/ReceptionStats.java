package io.warmline.media.stats;

import io.warmline.media.rtcp.NtpTime;
import io.warmline.media.rtcp.ReportBlock;

/**
 * Reception statistics for one RTP source, as RFC 3550 Appendix A specifies them: sequence-number validation with
 * probation and wrap counting (A.1), expected and lost packets and the fraction lost between reports (A.3), and
 * interarrival jitter in timestamp units (A.8). Sans-IO: every arrival time is passed in as {@code nowNanos} from the
 * owner's monotonic clock.
 *
 * <p>Not thread-safe: confined to the event loop of the call that owns the source.
 */
public final class ReceptionStats {

    /** A.1: packets in sequence before a source is valid. */
    public static final int MIN_SEQUENTIAL = 2;
    /** A.1: largest forward jump still taken as loss rather than a restart. */
    public static final int MAX_DROPOUT = 3000;
    /** A.1: largest backward step still taken as reordering or a duplicate. */
    public static final int MAX_MISORDER = 100;

    private static final int SEQ_MOD = 1 << 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final int clockRate;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private int baseSeq;
    private int badSeq;
    private int probation;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private boolean haveTransit;
    private long arrivalOriginNanos;
    private int transit;
    /** Jitter scaled by 16, as in the integer form of A.8. */
    private long jitter16;

    private boolean haveSr;
    private long lastSrNtpMiddle32;
    private long lastSrArrivalNanos;

    /** @param clockRate RTP clock rate of the source's payload format, in Hz */
    public ReceptionStats(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        this.clockRate = clockRate;
    }

    /**
     * Accounts one RTP packet from the source.
     *
     * @param seq the 16-bit sequence number (higher bits are ignored)
     * @param rtpTimestamp the 32-bit RTP timestamp (higher bits are ignored)
     * @param nowNanos arrival time on the owner's monotonic clock
     * @return true if the packet counts as received; false while the source is on probation, and for a packet
     *     that jumps so far it is taken as a possible restart (A.1)
     */
    public boolean onPacket(int seq, long rtpTimestamp, long nowNanos) {
        seq &= 0xFFFF;
        if (!started) {
            started = true;
            initSequence(seq);
            maxSeq = (seq - 1) & 0xFFFF;
            probation = MIN_SEQUENTIAL;
        }
        if (!updateSequence(seq)) {
            return false;
        }
        updateJitter((int) rtpTimestamp, nowNanos);
        return true;
    }

    /** A.1 update_seq. */
    private boolean updateSequence(int seq) {
        int delta = (seq - maxSeq) & 0xFFFF;
        if (probation > 0) {
            if (seq == ((maxSeq + 1) & 0xFFFF)) {
                probation--;
                maxSeq = seq;
                if (probation == 0) {
                    initSequence(seq);
                    received++;
                    return true;
                }
            } else {
                probation = MIN_SEQUENTIAL - 1;
                maxSeq = seq;
            }
            return false;
        } else if (delta < MAX_DROPOUT) {
            if (seq < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = seq;
        } else if (delta <= SEQ_MOD - MAX_MISORDER) {
            if (seq == badSeq) {
                // Two sequential packets after a large jump: the sender restarted its sequence.
                initSequence(seq);
                haveTransit = false;
            } else {
                badSeq = (seq + 1) & 0xFFFF;
                return false;
            }
        }
        // Otherwise a duplicate or reordered packet: counted, as A.1 does.
        received++;
        return true;
    }

    /** A.1 init_seq. */
    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    /** A.8: J += (|D| - J) / 16, with D the difference in relative transit time, in timestamp units. */
    private void updateJitter(int rtpTimestamp, long nowNanos) {
        if (!haveTransit) {
            arrivalOriginNanos = nowNanos;
        }
        int arrival = (int) toTimestampUnits(nowNanos - arrivalOriginNanos);
        int newTransit = arrival - rtpTimestamp;
        if (haveTransit) {
            int d = Math.abs(newTransit - transit);
            jitter16 += d - ((jitter16 + 8) >> 4);
        }
        transit = newTransit;
        haveTransit = true;
    }

    private long toTimestampUnits(long nanos) {
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long rest = Math.floorMod(nanos, NANOS_PER_SECOND);
        return seconds * clockRate + rest * clockRate / NANOS_PER_SECOND;
    }

    /**
     * Records a sender report from the source, for the LSR and DLSR fields of the next report blocks (§6.4.1).
     *
     * @param ntpTimestamp the SR's 64-bit NTP timestamp
     * @param nowNanos its arrival time on the owner's monotonic clock
     */
    public void onSenderReport(long ntpTimestamp, long nowNanos) {
        haveSr = true;
        lastSrNtpMiddle32 = NtpTime.middle32(ntpTimestamp);
        lastSrArrivalNanos = nowNanos;
    }

    /** Packets counted as received since the source became valid (duplicates included, as in A.3). */
    public long packetsReceived() {
        return received;
    }

    /** A.3: packets expected, from the first valid sequence number to the extended highest one. */
    public long expected() {
        return valid() ? extendedHighestSeq() - baseSeq + 1 : 0;
    }

    /** A.3: expected minus received; negative when duplicates outnumber losses. Not clamped. */
    public long cumulativeLost() {
        return expected() - received;
    }

    /** Cycles × 65536 + highest sequence number seen. */
    public long extendedHighestSeq() {
        return cycles + maxSeq;
    }

    /** A.3: fraction lost (in 1/256) since the last {@link #toReportBlock}, without starting a new interval. */
    public int fractionLost() {
        return fraction(expected() - expectedPrior, received - receivedPrior);
    }

    /** A.8: interarrival jitter in timestamp units. */
    public long jitter() {
        return jitter16 >> 4;
    }

    /** Whether the source has passed probation (A.1). */
    public boolean valid() {
        return started && probation == 0;
    }

    /**
     * A report block on this source, with LSR/DLSR from the last {@link #onSenderReport} (0 when none, §6.4.1), and
     * starts a new interval for the fraction lost (A.3).
     */
    public ReportBlock toReportBlock(long ssrc, long nowNanos) {
        long lsr = haveSr ? lastSrNtpMiddle32 : 0;
        long dlsr = haveSr ? NtpTime.nanosToCompact(nowNanos - lastSrArrivalNanos) : 0;
        return toReportBlock(ssrc, lsr, dlsr);
    }

    /**
     * A report block with an LSR the caller tracks itself; DLSR is measured from {@code lastSrArrivalNanos}, and is
     * 0 when {@code lastSrNtpMiddle32} is 0 (no SR received). Starts a new interval for the fraction lost (A.3).
     */
    public ReportBlock toReportBlock(long ssrc, long lastSrNtpMiddle32, long lastSrArrivalNanos, long nowNanos) {
        long dlsr = lastSrNtpMiddle32 == 0 ? 0 : NtpTime.nanosToCompact(nowNanos - lastSrArrivalNanos);
        return toReportBlock(ssrc, lastSrNtpMiddle32 & 0xFFFFFFFFL, dlsr);
    }

    private ReportBlock toReportBlock(long ssrc, long lsr, long dlsr) {
        long expected = expected();
        int fraction = fraction(expected - expectedPrior, received - receivedPrior);
        expectedPrior = expected;
        receivedPrior = received;
        long lost = Math.max(ReportBlock.MIN_CUMULATIVE_LOST,
                Math.min(ReportBlock.MAX_CUMULATIVE_LOST, expected - received));
        return new ReportBlock(ssrc, fraction, (int) lost, extendedHighestSeq() & 0xFFFFFFFFL,
                Math.min(jitter(), 0xFFFFFFFFL), lsr, dlsr);
    }

    private static int fraction(long expectedInterval, long receivedInterval) {
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }
}
