package io.warmline.sip;

/**
 * The UAS side of a call. Methods may be called from any thread (usually the call executor); they never block.
 * After {@link #hangup()} or {@link #reject} no further listener callback is delivered.
 */
public interface InboundLeg {
    ConversationId conversationId();

    Trunk trunk();

    String calledNumber();

    String callerNumber();

    /** The SDP offer of the INVITE, or null for an offerless INVITE. */
    String remoteSdp();

    String callId();

    void setListener(Listener listener);

    /** 180 Ringing. */
    void ringing();

    /** 183 Session Progress with SDP (early media). */
    void progress(String sdp);

    /** 200 OK with SDP. The ACK is awaited; without it the leg ends with {@link EndReason#ACK_TIMEOUT}. */
    void answer(String sdp);

    /** A final non-2xx response. {@code warning} is {@code "<code> <text>"} or a bare text (code 399). */
    void reject(int status, String reason, String warning);

    /** BYE once confirmed (after the ACK), 480 before the answer. */
    void hangup();

    /** Sends a re-INVITE with this offer on the confirmed dialog. */
    void reinvite(String sdp, ReinviteCallback callback);

    /** Callbacks; all run on the call executor. */
    interface Listener {
        /** The caller sent CANCEL before we answered; 487 was sent. */
        void onCancelled();

        /** The far end sent BYE; 200 was sent. */
        void onBye();

        /**
         * The far end sent a re-INVITE with an offer. Session refreshes (same SDP version) and offerless
         * re-INVITEs are answered by the stack with the current local SDP and not reported here.
         */
        void onReinvite(String sdpOffer, ReinviteResponder responder);

        void onEnded(EndReason reason);
    }
}
