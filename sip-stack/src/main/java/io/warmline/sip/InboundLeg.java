package io.warmline.sip;

import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.info.DtmfInfoCodec;

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

    /**
     * Sends one key press as an INFO on the confirmed dialog (RFC 6086 legacy usage), body {@code contentType}:
     * {@link DtmfInfoCodec#DTMF_RELAY} ({@code Signal=}/{@code Duration=}) or {@link DtmfInfoCodec#DTMF} (the key).
     * INFOs of one leg go out one at a time, in order, each after the previous one's final response.
     *
     * @param callback told the final status, or null
     * @throws IllegalArgumentException for any other content type
     */
    void sendDtmf(DtmfInfo info, String contentType, DtmfInfoCallback callback);

    /** {@link #sendDtmf(DtmfInfo, String, DtmfInfoCallback)} with {@code application/dtmf-relay}. */
    default void sendDtmf(DtmfInfo info, DtmfInfoCallback callback) {
        sendDtmf(info, DtmfInfoCodec.DTMF_RELAY, callback);
    }

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

        /**
         * The far end sent a key in an INFO on the dialog ({@code application/dtmf-relay} or
         * {@code application/dtmf}); 200 was sent. Malformed bodies were answered 400 and other types 415.
         */
        default void onDtmf(DtmfInfo info) {
        }
    }
}
