package io.warmline.media.sdp;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of an offer/answer exchange for the audio stream.
 *
 * @param local the description we sent: our answer, or our offer when the peer answered
 * @param codec the codec we send, with the payload type to use on the wire: the first format of the peer's list that
 *     we support (when we answer: the first of our preference order that was offered)
 * @param telephoneEventPt the RFC 4733 telephone-event payload type at the clock rate of {@code codec}, or -1 if not
 *     negotiated
 * @param remoteRtp where to send RTP; null when the peer gave port 0 or the hold address {@code 0.0.0.0}
 * @param remoteRtcp where to send RTCP: {@code a=rtcp} (RFC 3605) if given, else RTP port + 1; null with remoteRtp
 * @param remoteDirection the peer's direction for this stream, from its own point of view (a {@code c=0.0.0.0}
 *     hold removes receiving)
 * @param ptimeMs packetisation time to send with, in milliseconds
 * @param received what the peer may send us (RFC 3264 §6.1, §7: any format of the answer that both sides list):
 *     the audio formats, {@code codec} among them, and telephone-event at their clock rates, each with the payload
 *     type the peer puts on the wire
 */
public record Negotiated(SessionDescription local, PayloadFormat codec, int telephoneEventPt,
        InetSocketAddress remoteRtp, InetSocketAddress remoteRtcp, Direction remoteDirection, int ptimeMs,
        List<PayloadFormat> received) {

    /** One codec both ways: we receive only {@code codec} (and its telephone-event). */
    public Negotiated(SessionDescription local, PayloadFormat codec, int telephoneEventPt,
            InetSocketAddress remoteRtp, InetSocketAddress remoteRtcp, Direction remoteDirection, int ptimeMs) {
        this(local, codec, telephoneEventPt, remoteRtp, remoteRtcp, remoteDirection, ptimeMs,
                telephoneEventPt < 0 ? List.of(codec)
                        : List.of(codec, PayloadFormat.telephoneEvent(telephoneEventPt, codec.clockRate(), null)));
    }

    public Negotiated {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(codec, "codec");
        received = List.copyOf(received);
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

    /** The audio formats the peer may send, telephone-event aside, in the answer's order. */
    public List<PayloadFormat> receivedAudio() {
        List<PayloadFormat> audio = new ArrayList<>(received.size());
        for (PayloadFormat f : received) {
            if (!f.isTelephoneEvent()) {
                audio.add(f);
            }
        }
        return audio;
    }

    /** The telephone-event payload type the peer may send at {@code clockRate}, or -1. */
    public int receivedTelephoneEventPt(int clockRate) {
        for (PayloadFormat f : received) {
            if (f.isTelephoneEvent() && f.clockRate() == clockRate) {
                return f.payloadType();
            }
        }
        return -1;
    }
}
