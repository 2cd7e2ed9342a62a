package io.warmline.media.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.rtcp.NtpTime;
import io.warmline.media.rtcp.ReportBlock;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RoundTripTest {

    private static ReportBlock block(long lsr, long dlsr) {
        return new ReportBlock(1, 0, 0, 0, 0, lsr, dlsr);
    }

    @Test
    void computesRttFromLsrAndDlsr() {
        long srSent = 1_700_000_000_000_000_000L;
        long lsr = NtpTime.middle32(NtpTime.fromUnixNanos(srSent));
        long dlsr = NtpTime.nanosToCompact(500_000_000L);
        long arrival = NtpTime.middle32(NtpTime.fromUnixNanos(srSent + 500_000_000L + 120_000_000L));
        OptionalLong rtt = RoundTrip.rttNanos(block(lsr, dlsr), arrival);
        assertTrue(rtt.isPresent());
        assertTrue(Math.abs(rtt.getAsLong() - 120_000_000L) < 50_000L, "rtt " + rtt.getAsLong());
    }

    /** The example of RFC 3550 §6.4.1: A = 0xb710:8000, LSR = 0xb705:2000, DLSR = 0x0005:4000 gives 6.125 s. */
    @Test
    void matchesRfcExample() {
        OptionalLong rtt = RoundTrip.rttNanos(block(0xB7052000L, 0x00054000L), 0xB7108000L);
        assertEquals(6_125_000_000L, rtt.getAsLong());
    }

    @Test
    void emptyWithoutSenderReport() {
        assertTrue(RoundTrip.rttNanos(block(0, 0), 0x12345678L).isEmpty());
    }

    @Test
    void emptyWhenNegative() {
        assertTrue(RoundTrip.rttNanos(block(0x00020000L, 0x00010000L), 0x00020000L).isEmpty());
    }

    /** baresip times DLSR in milliseconds: on loopback A - LSR - DLSR came out just under zero in one CI run. */
    @Test
    void aRoundTripJustUnderZeroIsZero() {
        long lsr = 0x00020000L;
        assertEquals(0L, RoundTrip.rttNanos(block(lsr, 0x00010000L + 66), lsr + 0x00010000L).getAsLong());
        assertEquals(0L, RoundTrip.rttNanos(block(lsr, 0x00010000L + RoundTrip.ROUNDING_UNITS), lsr + 0x00010000L)
                .getAsLong());
        assertTrue(RoundTrip.rttNanos(block(lsr, 0x00010000L + RoundTrip.ROUNDING_UNITS + 1), lsr + 0x00010000L)
                .isEmpty());
    }

    @Test
    void worksAcrossTheMiddle32Wrap() {
        OptionalLong rtt = RoundTrip.rttNanos(block(0xFFFF8000L, 0x00004000L), 0x00000000L);
        assertEquals(250_000_000L, rtt.getAsLong());
    }
}
