package io.warmline.webrtc.sdp;

/**
 * Why an offer cannot be answered. Each reason knows the HTTP status a WHIP endpoint answers with (RFC 9725 §4.2:
 * a 4xx for an offer it cannot accept) and a stable code for the response body and metrics.
 */
public enum RefusalReason {
    /** Not a valid session description (RFC 8866 syntax or our bounds). */
    MALFORMED_SDP(400, "malformed-sdp"),
    /** No usable audio m-line. */
    NO_AUDIO(422, "no-audio"),
    /** No {@code a=ice-ufrag}/{@code a=ice-pwd}, or invalid ones (RFC 8839 §5.4). */
    NO_ICE_CREDENTIALS(400, "no-ice-credentials"),
    /** No {@code a=fingerprint} with a hash function we can check (RFC 8122 §5). */
    NO_FINGERPRINT(400, "no-fingerprint"),
    /** SDES ({@code a=crypto}), plain {@code RTP/AVP} or another profile without DTLS-SRTP (RFC 5764). */
    UNSUPPORTED_CRYPTO(422, "unsupported-crypto"),
    /** A transport arrangement we do not serve: no {@code a=rtcp-mux} (RFC 8858), or {@code a=setup:holdconn}. */
    UNSUPPORTED_TRANSPORT(422, "unsupported-transport"),
    /** None of Opus, PCMU or PCMA offered. */
    NO_COMMON_CODEC(422, "no-common-codec");

    private final int httpStatus;
    private final String code;

    RefusalReason(int httpStatus, String code) {
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** A short stable token, e.g. {@code no-fingerprint}. */
    public String code() {
        return code;
    }
}
