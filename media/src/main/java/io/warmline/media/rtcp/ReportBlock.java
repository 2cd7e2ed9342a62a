package io.warmline.media.rtcp;

/**
 * A reception report block (RFC 3550 §6.4.1). Unsigned 32-bit fields are held in {@code long}s.
 *
 * @param ssrc source this block reports on
 * @param fractionLost fraction lost since the previous report, in 1/256 (0-255)
 * @param cumulativeLost packets lost since reception began, 24-bit signed (duplicates can make it negative)
 * @param extendedHighestSeq cycles × 65536 + highest sequence number received
 * @param jitter interarrival jitter in timestamp units
 * @param lastSr middle 32 bits of the NTP timestamp of the last SR received from {@code ssrc}, or 0
 * @param delaySinceLastSr delay since that SR was received, in 1/65536 s, or 0
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSeq, long jitter,
        long lastSr, long delaySinceLastSr) {

    public static final int MIN_CUMULATIVE_LOST = -0x800000;
    public static final int MAX_CUMULATIVE_LOST = 0x7FFFFF;

    public ReportBlock {
        RtcpFields.checkU32("ssrc", ssrc);
        if (fractionLost < 0 || fractionLost > 255) {
            throw new IllegalArgumentException("fractionLost out of range: " + fractionLost);
        }
        if (cumulativeLost < MIN_CUMULATIVE_LOST || cumulativeLost > MAX_CUMULATIVE_LOST) {
            throw new IllegalArgumentException("cumulativeLost out of 24-bit range: " + cumulativeLost);
        }
        RtcpFields.checkU32("extendedHighestSeq", extendedHighestSeq);
        RtcpFields.checkU32("jitter", jitter);
        RtcpFields.checkU32("lastSr", lastSr);
        RtcpFields.checkU32("delaySinceLastSr", delaySinceLastSr);
    }
}
