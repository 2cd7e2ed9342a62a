package io.warmline.webrtc.dtls;

/** How a DTLS association ended; once it has, its leg ends too. */
public enum DtlsCloseReason {
    /** The peer sent close_notify (RFC 5246 §7.2.1); we answered with ours. */
    PEER_CLOSE_NOTIFY,
    /** The peer sent a fatal alert after the handshake. */
    PEER_FATAL_ALERT,
    /** Records that could not be processed ended the association. */
    PROTOCOL_ERROR,
    /** {@link DtlsHandshake#close()} was called. */
    LOCAL_CLOSE,
    /** The handshake never finished; {@link DtlsHandshake#keys()} says why. */
    HANDSHAKE_FAILED
}
