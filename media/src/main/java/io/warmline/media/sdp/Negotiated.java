package io.warmline.media.sdp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The result of an offer/answer exchange for the audio stream.
 *
 * @param local the description we sent: our answer, or our offer when the peer answered
 * @param codec the negotiated codec, with the payload type to use on the wire
 * @param telephoneEventPt the RFC 4733 telephone-event payload type, or -1 if not negotiated
 * @param remoteRtp where to send RTP; null when the peer gave port 0 or the hold address {@code 0.0.0.0}
 * @param remoteRtcp where to send RTCP: {@code a=rtcp} (RFC 3605) if given, else RTP port + 1; null with remoteRtp
 * @param remoteDirection the peer's direction for this stream, from its own point of view (a {@code c=0.0.0.0}
 *     hold removes receiving)
 * @param ptimeMs packetisation time to send with, in milliseconds
 */
public record Negotiated(SessionDescription local, PayloadFormat codec, int telephoneEventPt,
        InetSocketAddress remoteRtp, InetSocketAddress remoteRtcp, Direction remoteDirection, int ptimeMs) {

    public Negotiated {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(remoteDirection, "remoteDirection");
        if (telephoneEventPt < -1 || telephoneEventPt > 127) {
            throw new IllegalArgumentException("telephone-event payload type out of range: " + telephoneEventPt);
        }
        if (ptimeMs <= 0) {
            throw new IllegalArgumentException("ptime must be positive: " + ptimeMs);
        }
    }

    /** Whether we should send media to the peer: it has an address and wants to receive. */
    public boolean shouldSend() {
        return remoteRtp != null && remoteDirection.receives();
    }

    /** Whether the peer says it will send media. */
    public boolean expectsMedia() {
        return remoteDirection.sends();
    }
}
