package io.warmline.webrtc;

/** Why a WebRTC leg ended. */
public enum LegEndReason {
    /** Its owner called {@link WebRtcLeg#close()}. */
    CLOSED("closed"),
    /** The browser stopped answering for consent (RFC 7675 §5.1), or never checked or nominated in time. */
    CONSENT_LOST("consent-lost"),
    /** The browser closed DTLS (close_notify or a fatal alert, RFC 5246 §7.2). */
    DTLS_CLOSED("dtls-closed"),
    /** The DTLS handshake failed: wrong certificate fingerprint, no common SRTP profile, alert, ... */
    DTLS_FAILED("dtls-failed"),
    /** ICE nomination and the DTLS handshake did not both finish within the handshake bound. */
    HANDSHAKE_TIMEOUT("handshake-timeout"),
    /** The endpoint was closed, or it could not register the leg (too many legs). */
    ENDPOINT_CLOSED("endpoint-closed");

    private final String code;

    LegEndReason(String code) {
        this.code = code;
    }

    /** A short stable token for events and metrics, e.g. {@code consent-lost}. */
    public String code() {
        return code;
    }
}
