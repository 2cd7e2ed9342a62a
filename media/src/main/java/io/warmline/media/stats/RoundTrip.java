package io.warmline.media.stats;

import io.warmline.media.rtcp.NtpTime;
import io.warmline.media.rtcp.ReportBlock;
import java.util.OptionalLong;

/**
 * Round-trip time from a report block about our own stream (RFC 3550 §6.4.1): RTT = A - LSR - DLSR, where A is the
 * arrival time of the report as the middle 32 bits of an NTP timestamp taken from the same wall clock that stamped
 * our sender reports.
 */
public final class RoundTrip {

    /** 5 ms in the 1/65536 s units of LSR and DLSR. */
    static final long ROUNDING_UNITS = 328;

    private RoundTrip() {
    }

    /**
     * @param block a report block the peer sent about our SSRC
     * @param arrivalNtpMiddle32 when the report arrived, as {@link NtpTime#middle32} of our NTP time
     * @return the round-trip time in nanoseconds, or empty when the peer has not received an SR yet (LSR 0) or the
     *     result would be more than 5 ms negative (clock steps, a corrupt report); 0 when it is negative by less
     */
    public static OptionalLong rttNanos(ReportBlock block, long arrivalNtpMiddle32) {
        if (block.lastSr() == 0) {
            return OptionalLong.empty();
        }
        long rtt = (arrivalNtpMiddle32 - block.lastSr() - block.delaySinceLastSr()) & 0xFFFFFFFFL;
        // 32-bit modular arithmetic: a "negative" RTT shows up as a value in the upper half.
        if (rtt >= 0x80000000L) {
            // A peer that times DLSR with a millisecond clock can overstate it by about a millisecond, which on a
            // short path leaves A - LSR - DLSR a little below zero: that is a round trip of about nothing. Further
            // below zero is a clock step or a corrupt report.
            return 0x100000000L - rtt <= ROUNDING_UNITS ? OptionalLong.of(0) : OptionalLong.empty();
        }
        return OptionalLong.of(NtpTime.compactToNanos(rtt));
    }
}
