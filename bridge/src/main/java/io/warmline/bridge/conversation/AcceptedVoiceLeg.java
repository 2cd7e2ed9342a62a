package io.warmline.bridge.conversation;

import io.warmline.media.bridge.LegCodec;
import io.warmline.media.transport.RtpEndpoint;

/** A WebRTC leg that answered its offer: its SDP answer, the audio agreed, and its decrypted RTP. Loop-confined. */
public interface AcceptedVoiceLeg {
    String answerSdp();

    /** The decrypted media (SRTP is below this endpoint). */
    RtpEndpoint endpoint();

    /** The audio agreed in the answer (Opus 48 kHz, or PCMU/PCMA), with its telephone-event payload type. */
    LegCodec codec();

    /** Offer received to DTLS done on a path the browser's checks validated, in nanoseconds; -1 until then. */
    long handshakeNanos();

    /** True once the leg has ended (by itself or closed); safe on any thread. */
    boolean ended();

    /** The leg joined its conversation's media at {@code nowNanos}: for its handshake timeline only. */
    default void markJoined(long nowNanos) {
    }

    /** The answer was written to the browser at {@code nowNanos}: for its handshake timeline only. */
    default void markAnswerSent(long nowNanos) {
    }

    /** The ICE ufrag of our side: the leg's ICE session, used as its entity tag; new after an ICE restart. */
    String iceUfrag();

    /**
     * Applies a trickled {@code application/trickle-ice-sdpfrag} body (RFC 8840).
     *
     * @throws ConversationException of kind {@link ConversationException.Kind#BAD_CANDIDATE} naming what is wrong
     */
    void trickle(String sdpFragment);

    /**
     * Restarts ICE with the browser's new credentials in an {@code application/trickle-ice-sdpfrag} body (RFC 9725
     * §4.3.3); DTLS and SRTP stay.
     *
     * @return our new credentials as an {@code application/trickle-ice-sdpfrag} body
     * @throws ConversationException of kind {@link ConversationException.Kind#BAD_CANDIDATE} naming what is wrong, or
     *     {@link ConversationException.Kind#NO_SUCH_LEG} when the leg has ended
     */
    String restartIce(String sdpFragment);

    /** Ends the leg (DTLS close_notify where possible) and frees its resources; idempotent. */
    void close();
}
