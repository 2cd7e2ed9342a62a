package io.warmline.media.rtcp;

import java.util.List;

/**
 * Sender report (RFC 3550 §6.4.1).
 *
 * @param ntpTimestamp 64-bit NTP timestamp (seconds since 1900 in the high 32 bits), as an unsigned bit pattern
 * @param packetCount sender's packet count, unsigned 32-bit
 * @param octetCount sender's payload octet count, unsigned 32-bit
 * @param reports at most 31 report blocks
 */
public record SenderReport(long ssrc, long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount,
        List<ReportBlock> reports) implements RtcpPacket {

    public SenderReport {
        RtcpFields.checkU32("ssrc", ssrc);
        RtcpFields.checkU32("rtpTimestamp", rtpTimestamp);
        RtcpFields.checkU32("packetCount", packetCount);
        RtcpFields.checkU32("octetCount", octetCount);
        reports = RtcpFields.checkCount("report blocks", reports);
    }

    @Override
    public int packetType() {
        return TYPE_SR;
    }
}
