package io.warmline.webrtc.srtp;

/** The outcome of protecting or unprotecting one packet; anything but {@link #OK} means the packet is dropped. */
public enum SrtpResult {
    OK,
    /** The authentication tag did not verify (RFC 3711 §3.3 step 5, RFC 7714 §9.3): tampered or wrong keys. */
    AUTH_FAILED,
    /** Already received, or older than the replay window (RFC 3711 §3.3.2); on send, a reused index. */
    REPLAYED,
    /** Too short, too long, or not RTP/RTCP version 2. */
    MALFORMED,
    /** A new SSRC arrived when the session already tracks its maximum number of streams. */
    TOO_MANY_STREAMS,
    /** The crypto provider failed; counted and logged. */
    CRYPTO_ERROR
}
