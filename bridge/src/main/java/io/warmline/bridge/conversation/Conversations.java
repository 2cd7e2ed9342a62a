package io.warmline.bridge.conversation;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The live conversations as the control API uses them. Methods may be called from any thread; each operation runs
 * on the conversation's event loop and completes there. Failures complete exceptionally with a
 * {@link ConversationException}.
 */
public interface Conversations {

    /** Adds a WebRTC leg answering {@code offerSdp} to the conversation, starting the conversation if new. */
    default CompletionStage<VoiceLegOpened> openVoiceLeg(String conversationId, String offerSdp, String tokenId) {
        return openVoiceLeg(conversationId, offerSdp, tokenId, -1);
    }

    /**
     * As {@link #openVoiceLeg(String, String, String)}, the offer having arrived at {@code receivedNanos} (the node's
     * nanosecond clock; -1 when not known): the leg's handshake time counts from there.
     */
    CompletionStage<VoiceLegOpened> openVoiceLeg(String conversationId, String offerSdp, String tokenId,
            long receivedNanos);

    Optional<VoiceLegRef> voiceLeg(String conversationId, String legId);

    /**
     * Hands trickled candidates ({@code application/trickle-ice-sdpfrag}, RFC 8840) to the leg, when {@code ifMatch}
     * (the request's {@code If-Match}) names its current ICE session ({@code ETAG_MISMATCH} otherwise).
     */
    CompletionStage<Void> trickle(String conversationId, String legId, String ifMatch, String sdpFragment);

    /** Restarts ICE on the leg with the browser's new credentials in {@code sdpFragment} (RFC 9725 §4.3.3). */
    CompletionStage<IceRestarted> restartIce(String conversationId, String legId, String sdpFragment);

    CompletionStage<Void> closeVoiceLeg(String conversationId, String legId, String reason);

    /** Dials the configured target and, on answer, bridges it with the conversation's voice legs. */
    CompletionStage<EscalationView> escalate(String conversationId, String targetName);

    Optional<EscalationView> escalation(String conversationId, String escalationId);

    CompletionStage<Void> cancelEscalation(String conversationId, String escalationId);

    /**
     * Queues {@code digits} (the DTMF sequence language) on a leg of that conversation only: {@code leg} null or
     * {@code "support"} is the live escalation's answered SIP leg; else an escalation id or a voice leg id of the
     * conversation. Refusals: {@code NO_SUCH_CONVERSATION}, {@code NO_LIVE_LEG}, {@code BAD_DTMF_SEQUENCE} (with the
     * position), {@code DTMF_TOO_LONG}, {@code DTMF_RATE_LIMITED} (with a retry time), {@code DTMF_UNAVAILABLE}.
     */
    CompletionStage<DtmfPressed> pressDigits(String conversationId, String leg, String digits);
}
