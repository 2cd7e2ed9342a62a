package io.warmline.webrtc.dtls;

/** Why a DTLS association failed or ended; each knows whether trying again can help. */
public enum DtlsFailure {
    /** The peer's certificate does not match any fingerprint of its SDP (RFC 8122 §5, RFC 5763 §5). */
    FINGERPRINT_MISMATCH(false),
    /** The peer sent no certificate, so it cannot be checked against its fingerprint. */
    NO_PEER_CERTIFICATE(false),
    /** No SRTP protection profile in common, or the peer left out {@code use_srtp} (RFC 5764 §4.1.2). */
    NO_COMMON_SRTP_PROFILE(false),
    /** The handshake did not finish within the configured bound. */
    TIMEOUT(true),
    /** The peer sent a fatal alert. */
    ALERT_RECEIVED(false),
    /** Malformed or unexpected handshake messages, or no common cipher suite. */
    PROTOCOL_ERROR(false),
    /** Closed locally before the handshake finished. */
    CLOSED(false),
    /** The handshake pool refused the work. */
    OVERLOADED(true);

    private final boolean retryable;

    DtlsFailure(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
