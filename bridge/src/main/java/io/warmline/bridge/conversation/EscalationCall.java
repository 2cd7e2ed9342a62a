package io.warmline.bridge.conversation;

import io.warmline.bridge.call.NegotiatedMedia;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.ivr.ExecutorOutput.Outcome;
import io.warmline.dtmf.leg.DialHandle;
import io.warmline.dtmf.leg.DialRejectedException;
import io.warmline.dtmf.leg.DialResult;
import io.warmline.dtmf.leg.LegDtmfSettings;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.LegCodecs;
import io.warmline.media.sdp.Direction;
import io.warmline.media.sdp.Negotiated;
import io.warmline.media.sdp.NoCommonCodecException;
import io.warmline.media.sdp.OfferAnswer;
import io.warmline.media.sdp.SdpException;
import io.warmline.media.sdp.SdpOrigin;
import io.warmline.media.sdp.SessionDescription;
import io.warmline.media.transport.MediaLeg;
import io.warmline.sip.EndReason;
import io.warmline.sip.FailureReason;
import io.warmline.sip.OutboundLeg;
import io.warmline.sip.ReinviteResponder;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The human's leg of an escalation: a SIP call to a configured target, carrying the conversation ID in its headers
 * (the SIP layer adds {@code X-Conversation-ID} and {@code User-to-User}), whose media joins the conversation's
 * bridge once answered.
 *
 * <pre>
 *   REQUESTED --dial--> DIALING --18x--> RINGING --2xx--> CONNECTED --BYE either side--> COMPLETED
 *        \_______________\_________________\_____ refused, no answer, cancelled ______> FAILED(reason)
 *                                               \--2xx, target has a DTMF sequence--> NAVIGATING --done--> CONNECTED
 *                                                          prompt timeout, BYE, cancelled: FAILED(reason)
 * </pre>
 *
 * <p>While NAVIGATING the target's sequence is pressed on the answered leg (in {@code targets.<n>.dtmf-mode}, else
 * the trunk's), its prompt waits fed by voice activity on the leg's decoded audio; the customer hears comfort audio
 * and not the IVR. A {@code p} wait with {@code fallback=fail} that times out fails the escalation as
 * {@code ivr-timeout} and hangs up (the menu was not understood, so no human is reached); a leg that cannot send
 * keys in its mode fails it as {@code ivr-dtmf-unavailable}.
 *
 * <p>Not thread-safe: confined to the conversation's event loop, where the SIP layer delivers its callbacks.
 */
final class EscalationCall {
    private static final Logger log = LoggerFactory.getLogger(EscalationCall.class);

    enum State {
        REQUESTED, DIALING, RINGING, NAVIGATING, CONNECTED, COMPLETED, FAILED;

        boolean canMoveTo(State to) {
            return switch (this) {
                case REQUESTED -> to == DIALING || to == FAILED;
                case DIALING, RINGING -> to == RINGING || to == NAVIGATING || to == CONNECTED || to == FAILED;
                case NAVIGATING -> to == CONNECTED || to == FAILED;
                case CONNECTED -> to == COMPLETED;
                case COMPLETED, FAILED -> false;
            };
        }

        boolean isLive() {
            return this != COMPLETED && this != FAILED;
        }
    }

    final String id;
    final String target;
    private final Conversation conversation;
    private final EscalationDialer.Target dial;
    private final SdpOrigin origin = SdpOrigin.random(ThreadLocalRandom.current());
    private MediaLeg media;
    private Negotiated negotiated;
    private BridgeLeg bridgeLeg;
    private SessionDescription localOffer;
    private OutboundLeg sip;
    private State state = State.REQUESTED;
    private String reason;
    private boolean joined;
    private LegKeys keys;

    EscalationCall(String id, String target, Conversation conversation, EscalationDialer.Target dial) {
        this.id = id;
        this.target = target;
        this.conversation = conversation;
        this.dial = dial;
    }

    String memberId() {
        return "sip-" + id;
    }

    State state() {
        return state;
    }

    /** The answered leg's DTMF channel, or null before the answer and after the end. */
    LegKeys keys() {
        return keys;
    }

    EscalationView view() {
        return new EscalationView(conversation.id, id, target, state.name(), reason);
    }

    /** Opens the RTP endpoint and sends the INVITE; a failure to do either fails the escalation at once. */
    void start() {
        EscalationDialer d = conversation.dialer();
        try {
            media = d.openMedia(conversation.loop, conversation.id);
        } catch (Exception e) {
            fail("no-media-port: " + e.getMessage());
            return;
        }
        localOffer = OfferAnswer.offer(origin, d.advertisedAddress(), media.localRtpPort(), dial.codecs(), true,
                Direction.SENDRECV);
        transition(State.DIALING, "dialing target " + target + " (" + dial.number() + " via trunk "
                + dial.trunk().name() + ")");
        try {
            sip = d.sip().dial(dial.trunk(), dial.number(), new io.warmline.sip.ConversationId(conversation.id),
                    localOffer.encode(), conversation.loop, new Listener());
        } catch (RuntimeException e) {
            log.error("Cannot dial {} via trunk {}: {}", dial.number(), dial.trunk().name(), e.getMessage());
            fail("trunk-error");
        }
    }

    /** Ends the human's leg from our side: CANCEL before an answer, BYE after. */
    void hangup(String why) {
        if (!state.isLive()) {
            return;
        }
        if (sip != null) {
            sip.hangup();
        }
        if (state == State.CONNECTED) {
            transition(State.COMPLETED, why);
        } else {
            fail(why);
        }
    }

    private final class Listener implements OutboundLeg.Listener {
        @Override
        public void onProvisional(int status, String sdp) {
            conversation.inConversation(() -> {
                if (state == State.DIALING) {
                    transition(State.RINGING, status + (sdp != null && !sdp.isBlank() ? " with early media" : ""));
                }
            });
        }

        @Override
        public void onAnswered(String sdp) {
            conversation.inConversation(() -> {
                if (state != State.DIALING && state != State.RINGING) {
                    return;
                }
                Negotiated n;
                try {
                    n = OfferAnswer.accept(localOffer, SessionDescription.parse(sdp == null ? "" : sdp));
                } catch (SdpException | NoCommonCodecException e) {
                    log.warn("Unusable answer from target {}: {}", target, e.getMessage());
                    sip.hangup();
                    fail("unusable-answer");
                    return;
                }
                LegCodecs codecs;
                try {
                    // RFC 3264 §7: we send the answer's first format we offered and receive any it lists
                    codecs = NegotiatedMedia.legCodecs(n);
                } catch (IllegalArgumentException e) {
                    log.warn("Cannot terminate target {}'s media: {}", target, e.getMessage());
                    sip.hangup();
                    fail("unusable-answer");
                    return;
                }
                negotiated = n;
                applyRemote(n);
                boolean navigate = dial.dtmf() != null;
                transition(navigate ? State.NAVIGATING : State.CONNECTED, "answered (" + n.codec().encoding() + ")");
                BridgeLeg leg = conversation.joinHuman(EscalationCall.this, media, codecs, navigate);
                joined = leg != null;
                bridgeLeg = leg;
                if (!joined) {
                    hangup("customer-gone");
                    return;
                }
                keys = new LegKeys(conversation.id, memberId(), leg,
                        LegDtmfSettings.STANDARD.withMode(dial.dtmfMode()), EscalationCall.this::sendInfo, true,
                        conversation.events(), conversation.loop, conversation.clock());
                if (navigate) {
                    navigate();
                }
            });
        }

        @Override
        public void onDtmf(DtmfInfo info) {
            conversation.inConversation(() -> {
                if (keys != null) {
                    keys.dtmf().onInfo(info, conversation.clock().nanoTime());
                }
            });
        }

        @Override
        public void onFailed(FailureReason why, int status, String phrase) {
            conversation.inConversation(() -> {
                log.info("Target {} failed: {} ({} {})", target, why, status, phrase);
                fail(why.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            });
        }

        @Override
        public void onBye() {
            conversation.inConversation(() -> {
                if (state == State.CONNECTED) {
                    transition(State.COMPLETED, "human-hung-up");
                } else if (state == State.NAVIGATING) {
                    fail("support-line-hung-up-during-ivr");
                }
            });
        }

        @Override
        public void onReinvite(String sdpOffer, ReinviteResponder responder) {
            conversation.inConversation(() -> reinvited(sdpOffer, responder));
        }

        @Override
        public void onEnded(EndReason why) {
            conversation.inConversation(() -> {
                String r = "sip-" + why.name().toLowerCase(Locale.ROOT).replace('_', '-');
                if (state == State.CONNECTED) {
                    transition(State.COMPLETED, r);
                } else if (state.isLive()) {
                    fail(r);
                }
            });
        }
    }

    /**
     * A re-INVITE from the support line (RFC 3261 §14.2): carriers send them to hold and resume (RFC 3264 §8.4), after
     * moving media to another address, or to change codec. We answer from the same session with the next o= version
     * (§8), choosing among the codecs we offered to the target, and apply the agreement to the leg's RTP endpoint at
     * once: the new address and port, the codec we send and the formats we receive (the bridge leg switches codec),
     * and the direction: a hold with sendonly or inactive is answered recvonly or inactive and we stop sending until
     * a later offer resumes (§6.1 forbids sending to a peer that does not receive); a peer that stops sending is not
     * a dead leg. An offer we cannot serve is refused and the session stays as it was.
     */
    private void reinvited(String offer, ReinviteResponder responder) {
        if (!state.isLive() || negotiated == null) {
            conversation.metrics().escalationReinvite(target, "not-ready");
            responder.reject(491);
            return;
        }
        if (offer == null || offer.isBlank()) {
            // Offerless: our current description is the offer, the far end answers in the ACK (RFC 3264 §8).
            responder.accept(negotiated.local().encode());
            return;
        }
        Negotiated n;
        LegCodecs codecs;
        try {
            n = OfferAnswer.answer(SessionDescription.parse(offer), origin, conversation.dialer().advertisedAddress(),
                    media.localRtpPort(), dial.codecs());
            codecs = NegotiatedMedia.legCodecs(n);
        } catch (NoCommonCodecException e) {
            log.info("Escalation {}: re-INVITE from target {} refused: {}", id, target, e.getMessage());
            conversation.metrics().escalationReinvite(target, "not-acceptable");
            responder.reject(488);
            return;
        } catch (SdpException e) {
            log.info("Escalation {}: unreadable re-INVITE offer from target {}: {}", id, target, e.getMessage());
            conversation.metrics().escalationReinvite(target, "bad-sdp");
            responder.reject(400);
            return;
        } catch (IllegalArgumentException e) {
            log.info("Escalation {}: re-INVITE from target {} asks for media we cannot terminate: {}", id, target,
                    e.getMessage());
            conversation.metrics().escalationReinvite(target, "not-acceptable");
            responder.reject(488);
            return;
        }
        Negotiated before = negotiated;
        negotiated = n;
        applyRemote(n);
        if (bridgeLeg != null && !codecs.equals(bridgeLeg.codecs())) {
            bridgeLeg.setCodecs(codecs);
        }
        responder.accept(n.local().encode());
        conversation.metrics().escalationReinvite(target, "accepted");
        log.info("Escalation {}: re-INVITE from target {} accepted: media {} -> {}, {} -> {}, {} -> {}{}", id, target,
                before.remoteRtp(), n.remoteRtp(), before.codec().encoding(), n.codec().encoding(),
                before.remoteDirection(), n.remoteDirection(), n.shouldSend() ? "" : " (not sending: held)");
    }

    /** Points the leg's RTP endpoint at what was agreed (address, formats, direction). */
    private void applyRemote(Negotiated n) {
        media.setRemote(n.remoteRtp(), n.remoteRtcp());
        media.setFormat(NegotiatedMedia.legFormat(n));
        media.setMediaExpected(n.expectsMedia());
        media.setSending(n.shouldSend());
    }

    /** Presses the target's sequence on the answered leg; its outcome decides whether the human is reached. */
    private void navigate() {
        long now = conversation.clock().nanoTime();
        DialHandle handle;
        try {
            handle = keys.dtmf().run(dial.dtmf(), DtmfEvents.NAVIGATION, now + dial.dtmfDelay().toNanos(), now);
        } catch (DialRejectedException e) {
            log.warn("ivr-navigation conv={} outcome=NOT_STARTED leg={} reason={}", conversation.id, memberId(),
                    e.getMessage());
            hangup("ivr-dtmf-unavailable");
            return;
        }
        log.info("ivr-navigation conv={} started leg={} mode={} steps={}", conversation.id, memberId(),
                DtmfEvents.mode(keys.dtmf().sendMode()), dial.dtmf().steps().size());
        // Completes on the conversation's loop from within the leg's DTMF channel, after the sequence left its queue:
        // a failed menu hangs up at once, so keys queued behind it (on demand) never go out.
        handle.result().whenComplete((result, error) -> conversation.inConversation(() -> {
            try {
                navigated(result);
            } catch (RuntimeException e) {
                log.error("Escalation {}: acting on the IVR navigation's outcome failed", id, e);
            }
        }));
    }

    private void navigated(DialResult result) {
        if (state != State.NAVIGATING) {
            return;
        }
        if (result != null && result.outcome() == Outcome.DONE) {
            transition(State.CONNECTED, "ivr navigated (" + result.digitsSent() + " keys)");
            conversation.humanReady(this);
        } else {
            String outcome = result == null ? "error" : result.outcome().name().toLowerCase(Locale.ROOT);
            hangup(result != null && result.outcome() == Outcome.PROMPT_TIMEOUT ? "ivr-timeout" : "ivr-" + outcome);
        }
    }

    /** A key as SIP INFO on the human's dialog (info mode); a refusal is logged, the sequence goes on. */
    private void sendInfo(DtmfInfo info) {
        OutboundLeg leg = sip;
        if (leg == null) {
            return;
        }
        leg.sendDtmf(info, dial.infoContentType(), (status, phrase) -> {
            if (status >= 300) {
                log.warn("DTMF INFO to target {} answered {} {}", target, status, phrase);
            }
        });
    }

    private void fail(String why) {
        if (state.isLive()) {
            transition(State.FAILED, why);
        }
    }

    /**
     * The one place the state changes: checks the move, publishes it to the index the API reads, logs it (after
     * publishing, so that what the log says the API already shows), and releases media when the escalation is over.
     */
    private void transition(State to, String why) {
        if (!state.canMoveTo(to)) {
            throw new IllegalStateException("escalation cannot go from " + state + " to " + to + " (" + why + ")");
        }
        State from = state;
        state = to;
        if (!to.isLive()) {
            reason = why;
        }
        conversation.published(this);
        log.info("Escalation {} to {}: {} -> {}: {}", id, target, from, to, why);
        if (!to.isLive()) {
            conversation.metrics().escalationEnded(target, to.name().toLowerCase(java.util.Locale.ROOT));
            if (keys != null) {
                keys.close(conversation.clock().nanoTime());
            }
            if (joined) {
                conversation.leaveHuman(this);
            }
            if (media != null) {
                media.close();
            }
            conversation.escalationEnded(this);
        }
    }
}
