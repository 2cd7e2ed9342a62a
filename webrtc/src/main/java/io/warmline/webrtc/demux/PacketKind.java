package io.warmline.webrtc.demux;

/** What arrived on the shared port, told apart by {@link Rfc7983Demux}. */
public enum PacketKind {
    STUN,
    DTLS,
    RTP,
    RTCP,
    /** Any other first byte (ZRTP, TURN channel data, garbage) or too short for its kind: dropped. */
    UNKNOWN
}
