package io.warmline.webrtc;

/**
 * The life of a WebRTC leg.
 *
 * <pre>
 *  CONNECTING --ICE nominated and DTLS-SRTP keyed--> CONNECTED
 *      |                                                 |
 *      +--- handshake bound, DTLS failure, consent -----+--- consent lost, DTLS closed, close() ---> ENDED
 * </pre>
 */
public enum WebRtcLegState {
    /** Answered; waiting for the browser's checks, nomination and the DTLS handshake. Nothing is sent. */
    CONNECTING,
    /** Media flows: SRTP both ways on the nominated path. */
    CONNECTED,
    /** Terminal. */
    ENDED
}
