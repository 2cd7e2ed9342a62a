package io.warmline.sip;

import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.info.DtmfInfoCodec;

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

        /**
         * The far end sent a key in an INFO on the dialog ({@code application/dtmf-relay} or
         * {@code application/dtmf}); 200 was sent. Malformed bodies were answered 400 and other types 415.
         */
        default void onDtmf(DtmfInfo info) {
        }
    }
}
