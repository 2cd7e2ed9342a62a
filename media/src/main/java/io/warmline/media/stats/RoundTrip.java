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

    private RoundTrip() {
    }

    /**
     * @param block a report block the peer sent about our SSRC
     * @param arrivalNtpMiddle32 when the report arrived, as {@link NtpTime#middle32} of our NTP time
     * @return the round-trip time in nanoseconds, or empty when the peer has not received an SR yet (LSR 0) or the
     *     result would be negative (clock steps, a corrupt report)
     */
    public static OptionalLong rttNanos(ReportBlock block, long arrivalNtpMiddle32) {
        if (block.lastSr() == 0) {
            return OptionalLong.empty();
        }
        long rtt = (arrivalNtpMiddle32 - block.lastSr() - block.delaySinceLastSr()) & 0xFFFFFFFFL;
        // 32-bit modular arithmetic: a "negative" RTT shows up as a value in the upper half.
        if (rtt >= 0x80000000L) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(NtpTime.compactToNanos(rtt));
    }
}
