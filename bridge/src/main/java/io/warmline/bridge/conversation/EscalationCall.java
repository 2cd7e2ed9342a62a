package io.warmline.bridge.conversation;

import io.warmline.media.bridge.LegCodec;
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
 * </pre>
 *
 * <p>Not thread-safe: confined to the conversation's event loop, where the SIP layer delivers its callbacks.
 */
final class EscalationCall {
    private static final Logger log = LoggerFactory.getLogger(EscalationCall.class);

    enum State {
        REQUESTED, DIALING, RINGING, CONNECTED, COMPLETED, FAILED;

        boolean canMoveTo(State to) {
            return switch (this) {
                case REQUESTED -> to == DIALING || to == FAILED;
                case DIALING, RINGING -> to == RINGING || to == CONNECTED || to == FAILED;
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
    private SessionDescription localOffer;
    private OutboundLeg sip;
    private State state = State.REQUESTED;
    private String reason;
    private boolean joined;

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
                media.setRemote(n.remoteRtp(), n.remoteRtcp());
                media.setFormat(n.codec().payloadType(), n.codec().encoding(), n.codec().clockRate(),
                        n.telephoneEventPt());
                media.setMediaExpected(n.expectsMedia());
                media.setSending(n.shouldSend());
                LegCodec codec = LegCodec.of(n.codec().encoding(), n.codec().payloadType(), n.codec().clockRate(),
                        n.telephoneEventPt(), null);
                transition(State.CONNECTED, "answered (" + n.codec().encoding() + ")");
                joined = conversation.joinHuman(EscalationCall.this, media, codec);
                if (!joined) {
                    hangup("customer-gone");
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
                }
            });
        }

        @Override
        public void onReinvite(String sdpOffer, ReinviteResponder responder) {
            // Hold and codec changes of the human's leg are not followed yet: keep the agreed session.
            responder.reject(488);
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

    private void fail(String why) {
        if (state.isLive()) {
            transition(State.FAILED, why);
        }
    }

    /** The one place the state changes: checks the move, logs it, and releases media when the escalation is over. */
    private void transition(State to, String why) {
        if (!state.canMoveTo(to)) {
            throw new IllegalStateException("escalation cannot go from " + state + " to " + to + " (" + why + ")");
        }
        log.info("Escalation {} to {}: {} -> {}: {}", id, target, state, to, why);
        state = to;
        if (to.isLive()) {
            conversation.published(this);
        } else {
            reason = why;
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
