package io.warmline.webrtc.ice;

/** The transport a check arrived on: the shared UDP port, or a passive ICE-TCP connection (RFC 6544). */
public enum IceTransport {
    UDP,
    TCP
}
