package io.warmline.media.rtcp;

import java.util.List;

/** Receiver report (RFC 3550 §6.4.2) with at most 31 report blocks. */
public record ReceiverReport(long ssrc, List<ReportBlock> reports) implements RtcpPacket {

    public ReceiverReport {
        RtcpFields.checkU32("ssrc", ssrc);
        reports = RtcpFields.checkCount("report blocks", reports);
    }

    @Override
    public int packetType() {
        return TYPE_RR;
    }
}
