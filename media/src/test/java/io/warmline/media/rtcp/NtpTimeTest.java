package io.warmline.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NtpTimeTest {

    @Test
    void unixEpochIsNtpSeconds2208988800() {
        assertEquals(2_208_988_800L << 32, NtpTime.fromUnixNanos(0));
    }

    @Test
    void halfSecondIsHalfTheFraction() {
        long ntp = NtpTime.fromUnixNanos(1_500_000_000L);
        assertEquals(2_208_988_801L, ntp >>> 32);
        assertEquals(0x80000000L, ntp & 0xFFFFFFFFL);
        assertEquals(((2_208_988_801L & 0xFFFF) << 16) | 0x8000, NtpTime.middle32(ntp));
    }

    @Test
    void compactConversions() {
        assertEquals(0x00054000L, NtpTime.nanosToCompact(5_250_000_000L));
        assertEquals(5_250_000_000L, NtpTime.compactToNanos(0x00054000L));
        assertEquals(0, NtpTime.nanosToCompact(-5));
        assertEquals(0xFFFFFFFFL, NtpTime.nanosToCompact(70_000L * 1_000_000_000L));
    }
}
