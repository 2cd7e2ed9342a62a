package io.warmline.sip;

/**
 * The UAC side of a call. Methods may be called from any thread (usually the call executor); they never block.
 * After {@link #hangup()} no further listener callback is delivered.
 */
public interface OutboundLeg {
    ConversationId conversationId();

    String callId();

    /** CANCEL before a final response (sent once a provisional response arrived, RFC 3261 §9.1), BYE after 2xx. */
    void hangup();

    void reinvite(String sdp, ReinviteCallback callback);

    /** Callbacks; all run on the call executor given to {@link SipService#dial}. */
    interface Listener {
        /** 180/183; {@code sdpOrNull} is early media when present. */
        void onProvisional(int status, String sdpOrNull);

        /** 2xx; the ACK was sent. */
        void onAnswered(String sdp);

        /** The call failed before an answer; terminal. */
        void onFailed(FailureReason reason, int status, String reasonPhrase);

        void onBye();

        /** As {@link InboundLeg.Listener#onReinvite}. */
        void onReinvite(String sdpOffer, ReinviteResponder responder);

        void onEnded(EndReason reason);
    }
}
