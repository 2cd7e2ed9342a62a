package io.warmline.bridge.http;

import io.warmline.bridge.conversation.ConversationException;
import io.warmline.bridge.conversation.Conversations;
import io.warmline.bridge.conversation.DtmfPressed;
import io.warmline.bridge.conversation.EscalationView;
import io.warmline.bridge.conversation.IceRestarted;
import io.warmline.bridge.conversation.VoiceLegOpened;
import io.warmline.bridge.conversation.VoiceLegRef;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.leg.DialHandle;
import io.warmline.dtmf.leg.DialRejectedException;
import io.warmline.dtmf.leg.DigitDialer;
import io.warmline.dtmf.leg.LegDtmf;
import io.warmline.dtmf.leg.LegDtmfSettings;
import io.warmline.media.time.ManualClock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An in-memory stand-in for the conversations behind the API, for tests of its HTTP semantics: it records what it
 * was asked; leg ids and answers follow the order of offers.
 */
final class RecordingConversations implements Conversations {
    final List<String> offers = new ArrayList<>();
    final List<String> fragments = new ArrayList<>();
    final List<String> closed = new ArrayList<>();
    final List<String> escalated = new ArrayList<>();
    final Map<String, VoiceLegRef> legs = new LinkedHashMap<>();
    ConversationException refuse;
    /** Each offer's arrival time as the HTTP layer passed it. */
    final List<Long> offerReceivedNanos = new ArrayList<>();
    /** When set, the next offer completes only when the test completes this. */
    CompletableFuture<VoiceLegOpened> pending;

    @Override
    public CompletionStage<VoiceLegOpened> openVoiceLeg(String conversationId, String offerSdp, String tokenId,
            long receivedNanos) {
        offerReceivedNanos.add(receivedNanos);
        if (refuse != null) {
            return CompletableFuture.failedFuture(refuse);
        }
        if (pending != null) {
            CompletableFuture<VoiceLegOpened> p = pending;
            pending = null;
            return p;
        }
        offers.add(offerSdp);
        String id = "leg-" + offers.size();
        legs.put(id, new VoiceLegRef(conversationId, id, tokenId, "\"etag-" + id + "\""));
        return CompletableFuture.completedFuture(new VoiceLegOpened(id, "answer-for-" + id, "\"etag-" + id + "\""));
    }

    @Override
    public Optional<VoiceLegRef> voiceLeg(String conversationId, String legId) {
        return Optional.ofNullable(legs.get(legId)).filter(l -> l.conversationId().equals(conversationId));
    }

    @Override
    public CompletionStage<Void> trickle(String conversationId, String legId, String ifMatch, String sdpFragment) {
        VoiceLegRef leg = legs.get(legId);
        if (leg == null || !leg.etag().equals(ifMatch)) {
            return CompletableFuture.failedFuture(new ConversationException(
                    ConversationException.Kind.ETAG_MISMATCH, "If-Match " + ifMatch + " is stale"));
        }
        fragments.add(sdpFragment);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<IceRestarted> restartIce(String conversationId, String legId, String sdpFragment) {
        if (!sdpFragment.contains("a=ice-pwd:")) {
            return CompletableFuture.failedFuture(new ConversationException(
                    ConversationException.Kind.BAD_CANDIDATE, "an ICE restart needs a=ice-ufrag and a=ice-pwd"));
        }
        fragments.add(sdpFragment);
        VoiceLegRef leg = legs.get(legId);
        String etag = "\"etag-" + legId + "-r" + fragments.size() + "\"";
        legs.put(legId, new VoiceLegRef(leg.conversationId(), legId, leg.tokenId(), etag));
        return CompletableFuture.completedFuture(new IceRestarted("a=ice-lite\r\na=ice-ufrag:new1\r\n", etag));
    }

    @Override
    public CompletionStage<Void> closeVoiceLeg(String conversationId, String legId, String reason) {
        legs.remove(legId);
        closed.add(legId);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<EscalationView> escalate(String conversationId, String targetName) {
        escalated.add(targetName);
        return CompletableFuture.completedFuture(
                new EscalationView(conversationId, "esc-" + escalated.size(), targetName, "DIALING", null));
    }

    @Override
    public Optional<EscalationView> escalation(String conversationId, String escalationId) {
        return escalated.isEmpty() ? Optional.empty()
                : Optional.of(new EscalationView(conversationId, escalationId, escalated.get(0), "DIALING", null));
    }

    @Override
    public CompletionStage<Void> cancelEscalation(String conversationId, String escalationId) {
        return CompletableFuture.completedFuture(null);
    }

    // Conversation c1 has a support leg with a real DTMF channel (RFC 4733 negotiated, no media ticks), whose
    // dialer runs on the calling thread against a manual clock.
    final ManualClock clock = new ManualClock(1_000_000_000L);
    final List<String> pressed = new ArrayList<>();
    DtmfMode supportMode = DtmfMode.AUTO;
    private DigitDialer dialer;

    @Override
    public CompletionStage<DtmfPressed> pressDigits(String conversationId, String leg, String digits) {
        if (!conversationId.equals("c1")) {
            return CompletableFuture.failedFuture(new ConversationException(
                    ConversationException.Kind.NO_SUCH_CONVERSATION, "no live conversation " + conversationId));
        }
        if (leg != null && !leg.equals("support")) {
            return CompletableFuture.failedFuture(new ConversationException(
                    ConversationException.Kind.NO_LIVE_LEG, "conversation c1 has no live leg " + leg));
        }
        if (dialer == null) {
            LegDtmf support = new LegDtmf("support", LegDtmfSettings.STANDARD.withMode(supportMode), 101, 8000,
                    heard -> { }, null);
            dialer = support.dialer(Runnable::run, clock);
        }
        try {
            DialHandle h = dialer.press(digits);
            pressed.add(conversationId + "/support:" + digits);
            return CompletableFuture.completedFuture(new DtmfPressed(conversationId, "support", "h" + h.id(), h));
        } catch (DialRejectedException e) {
            return CompletableFuture.failedFuture(ConversationException.dtmfRefused(e));
        }
    }
}
