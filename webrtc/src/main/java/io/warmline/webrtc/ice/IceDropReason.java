package io.warmline.webrtc.ice;

/** Why a STUN packet got no answer. Each is counted in {@link IceLiteStats}. */
public enum IceDropReason {
    /** Not a well-formed STUN message. */
    MALFORMED,
    /** FINGERPRINT present and wrong (RFC 8489 §7.3: not STUN, discarded silently). */
    BAD_FINGERPRINT,
    /** A Binding indication (RFC 8445 §11 keepalive): fine, nothing to answer, no consent given. */
    INDICATION,
    /** A response: a lite agent sends no requests, so it expects none. */
    UNEXPECTED_RESPONSE,
    /** A request of a method other than Binding. */
    UNSUPPORTED_METHOD,
    /** USERNAME names no registered leg. */
    UNKNOWN_UFRAG,
    /** USERNAME names a leg that has ended. */
    LEG_ENDED
}
