package io.warmline.media.rtcp;

/** One RTCP packet of a compound packet (RFC 3550 §6). Packet types this module does not model are skipped. */
public sealed interface RtcpPacket permits SenderReport, ReceiverReport, SourceDescription, Bye {

    int TYPE_SR = 200;
    int TYPE_RR = 201;
    int TYPE_SDES = 202;
    int TYPE_BYE = 203;

    /** RTCP packet type (RFC 3550 §12.1). */
    int packetType();
}
