package io.warmline.webrtc.dtls;

/**
 * Counters of one DTLS association.
 *
 * @param datagramsIn      datagrams offered and queued for DTLS processing
 * @param datagramsDropped datagrams refused: queue full, empty or oversized, or offered after the end
 * @param datagramsOut     datagrams handed to the sender
 * @param applicationData  application data records received (WebRTC audio legs carry none; they are dropped)
 */
public record DtlsStats(long datagramsIn, long datagramsDropped, long datagramsOut, long applicationData) {
}
