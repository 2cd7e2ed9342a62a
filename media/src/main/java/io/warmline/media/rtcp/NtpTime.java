package io.warmline.media.rtcp;

/**
 * NTP timestamps as RTCP uses them (RFC 3550 §4): 64-bit fixed point, seconds since 1900-01-01 in the high word.
 * The wall-clock time is always passed in; nothing here reads a clock.
 */
public final class NtpTime {

    /** Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (Unix epoch). */
    public static final long UNIX_EPOCH_OFFSET_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private NtpTime() {
    }

    /** The 64-bit NTP timestamp of a wall-clock instant given in nanoseconds since the Unix epoch. */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND) + UNIX_EPOCH_OFFSET_SECONDS;
        long nanos = Math.floorMod(unixNanos, NANOS_PER_SECOND);
        long fraction = (nanos << 32) / NANOS_PER_SECOND;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits (16.16 seconds), the compact form used by LSR and round-trip computation (§6.4.1). */
    public static long middle32(long ntpTimestamp) {
        return (ntpTimestamp >>> 16) & 0xFFFFFFFFL;
    }

    /** A duration in nanoseconds as 16.16 fixed-point seconds (the DLSR unit), saturating at the 32-bit maximum. */
    public static long nanosToCompact(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long seconds = nanos / NANOS_PER_SECOND;
        if (seconds >= 65536) {
            return 0xFFFFFFFFL;
        }
        long fraction = ((nanos % NANOS_PER_SECOND) << 16) / NANOS_PER_SECOND;
        return (seconds << 16) | fraction;
    }

    /** A 16.16 fixed-point duration in nanoseconds. */
    public static long compactToNanos(long compact) {
        return (compact >>> 16) * NANOS_PER_SECOND + ((compact & 0xFFFF) * NANOS_PER_SECOND >>> 16);
    }
}
