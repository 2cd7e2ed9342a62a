package io.warmline.bridge.conversation;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.BridgeLegStats;
import io.warmline.media.bridge.BridgeStats;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.transport.MediaLeg;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One live conversation: its WebRTC legs and escalated SIP legs, all terminated in one {@link MediaBridge} on one
 * event loop. Everyone in the bridge hears everyone else (customer and human hear each other once the human's leg
 * is answered). The conversation ends when its last leg leaves.
 *
 * <p>Not thread-safe: every method runs on {@link #loop}; the registry hops there.
 */
final class Conversation {
    private static final Logger log = LoggerFactory.getLogger(Conversation.class);
    /** How often open DTMF events are checked for their inactivity timeout. */
    private static final long HOUSEKEEPING_MILLIS = 200;

    final String id;
    final EventLoop loop;
    private final ConversationRegistry registry;
    private final Map<String, VoiceMember> voice = new LinkedHashMap<>();
    private final Map<String, EscalationCall> escalations = new LinkedHashMap<>();
    private final List<String> humans = new ArrayList<>();
    private MediaBridge bridge;
    private ScheduledFuture<?> housekeeping;
    private boolean ended;

    Conversation(String id, EventLoop loop, ConversationRegistry registry) {
        this.id = id;
        this.loop = loop;
        this.registry = registry;
    }

    boolean isEnded() {
        return ended;
    }

    EscalationDialer dialer() {
        return registry.dialer();
    }

    /** Answers an offer with a new WebRTC leg and joins it to the bridge. */
    VoiceLegOpened openVoiceLeg(String offerSdp, String tokenId) {
        int max = registry.maxVoiceLegs();
        if (voice.size() >= max) {
            throw new ConversationException(ConversationException.Kind.TOO_MANY_LEGS, "conversation " + id
                    + " already has " + voice.size() + " voice leg" + (voice.size() == 1 ? "" : "s")
                    + " (at most " + max + "); DELETE one first");
        }
        String legId = registry.newId();
        VoiceMember[] self = new VoiceMember[1];
        AcceptedVoiceLeg leg = registry.voiceLegs().accept(offerSdp, loop, new VoiceLegEvents() {
            @Override
            public void onConnected() {
                inConversation(() -> {
                    if (self[0] != null) {
                        self[0].connected = true;
                        log.info("Voice leg {} connected: ICE and DTLS done {} ms after the offer", legId,
                                String.format(java.util.Locale.ROOT, "%.1f", self[0].leg.handshakeNanos() / 1e6));
                    }
                });
            }

            @Override
            public void onEnded(String reason) {
                inConversation(() -> closeVoiceLeg(legId, reason));
            }
        });
        VoiceMember member = new VoiceMember(id, legId, tokenId, leg);
        self[0] = member;
        try {
            BridgeLeg bl = bridge().addLeg(member.memberId(), leg.endpoint(), leg.codec());
            member.attach(bl);
        } catch (RuntimeException e) {
            leg.close();
            throw new ConversationException(ConversationException.Kind.MEDIA_UNAVAILABLE,
                    "cannot join the conversation's media: " + e.getMessage());
        }
        voice.put(legId, member);
        registry.indexLeg(member.ref());
        updateMatrix();
        log.info("Voice leg {} joined ({} {}); {} voice leg(s), {} human leg(s)", legId, leg.codec().encoding(),
                leg.codec().payloadType(), voice.size(), humans.size());
        return new VoiceLegOpened(legId, leg.answerSdp(), member.etag);
    }

    void trickle(String legId, String fragment) {
        requireVoice(legId).leg.trickle(fragment);
    }

    /** Removes a WebRTC leg (DELETE, consent lost, DTLS closed); the last leg out ends the conversation. */
    void closeVoiceLeg(String legId, String reason) {
        VoiceMember m = voice.remove(legId);
        if (m == null) {
            return;
        }
        registry.unindexLeg(id, legId);
        if (bridge != null) {
            logStats(m.memberId(), m.bridgeLeg);
            bridge.remove(m.memberId());
        }
        m.close(registry.clock().nanoTime());
        m.leg.close();
        log.info("Voice leg {} left: {} ({} digit(s) received)", legId, reason, m.digitCount());
        updateMatrix();
        if (voice.isEmpty()) {
            // The customer is gone: the human's leg has no one to talk to.
            for (EscalationCall e : List.copyOf(escalations.values())) {
                e.hangup("customer-left");
            }
        }
        endIfEmpty();
    }

    EscalationView escalate(String targetName) {
        if (voice.isEmpty()) {
            throw new ConversationException(ConversationException.Kind.NO_SUCH_CONVERSATION,
                    "conversation " + id + " has no voice leg to bridge a human into");
        }
        for (EscalationCall e : escalations.values()) {
            if (e.state().isLive()) {
                throw new ConversationException(ConversationException.Kind.ESCALATION_IN_PROGRESS,
                        "escalation " + e.id + " to " + e.target + " is " + e.state() + "; cancel it first");
            }
        }
        EscalationDialer.Target target = registry.dialer().target(targetName);
        if (target == null) {
            throw new ConversationException(ConversationException.Kind.NO_SUCH_ESCALATION,
                    "no target named " + targetName);
        }
        EscalationCall call = new EscalationCall(registry.newId(), targetName, this, target);
        escalations.put(call.id, call);
        registry.indexEscalation(id, call.id, call.view());
        call.start();
        return call.view();
    }

    void cancelEscalation(String escalationId) {
        EscalationCall e = escalations.get(escalationId);
        if (e == null) {
            throw new ConversationException(ConversationException.Kind.NO_SUCH_ESCALATION,
                    "no escalation " + escalationId + " in conversation " + id);
        }
        e.hangup("cancelled");
    }

    /** The human answered: their leg joins the bridge. False when the customer already left. */
    boolean joinHuman(EscalationCall call, MediaLeg media, LegCodec codec) {
        if (ended || voice.isEmpty()) {
            return false;
        }
        bridge().addLeg(call.memberId(), media, codec);
        humans.add(call.memberId());
        updateMatrix();
        registry.indexEscalation(id, call.id, call.view());
        return true;
    }

    void leaveHuman(EscalationCall call) {
        if (humans.remove(call.memberId()) && bridge != null && !ended) {
            bridge.remove(call.memberId());
            updateMatrix();
        }
    }

    /** An escalation is over; its view stays readable until the conversation ends. */
    void escalationEnded(EscalationCall call) {
        registry.indexEscalation(id, call.id, call.view());
        endIfEmpty();
    }

    /** Any escalation's state change is published to the index. */
    void published(EscalationCall call) {
        registry.indexEscalation(id, call.id, call.view());
    }

    /** Ends every leg (node shutdown). */
    void endAll(String reason) {
        for (String legId : List.copyOf(voice.keySet())) {
            closeVoiceLeg(legId, reason);
        }
        for (EscalationCall e : List.copyOf(escalations.values())) {
            e.hangup(reason);
        }
        endIfEmpty();
    }

    void endIfEmpty() {
        if (ended || !voice.isEmpty()) {
            return;
        }
        for (EscalationCall e : escalations.values()) {
            if (e.state().isLive()) {
                return;
            }
        }
        ended = true;
        if (housekeeping != null) {
            housekeeping.cancel(false);
        }
        if (bridge != null) {
            BridgeStats s = bridge.stats();
            bridge.close();
            log.info("Conversation ended; bridge ticks {} skipped {} late {}; output frames due {} sent {} late {}",
                    s.ticks(), s.skippedTicks(), s.lateTicks(), s.framesDue(), s.outputFrames(), s.lateOutputFrames());
        } else {
            log.info("Conversation ended");
        }
        registry.ended(this);
    }

    /** Everyone hears everyone else: the customer's legs and the answered human legs. */
    private void updateMatrix() {
        if (bridge == null || ended) {
            return;
        }
        List<String> members = new ArrayList<>();
        for (VoiceMember m : voice.values()) {
            members.add(m.memberId());
        }
        members.addAll(humans);
        bridge.setMatrix(HearingMatrix.builder().conference(members.toArray(String[]::new)).build());
    }

    private MediaBridge bridge() {
        if (bridge == null) {
            bridge = MediaBridge.start(loop, registry.clock(), registry.mixRate());
            housekeeping = loop.scheduleAtFixedRate(() -> inConversation(this::housekeep), HOUSEKEEPING_MILLIS,
                    HOUSEKEEPING_MILLIS, TimeUnit.MILLISECONDS);
        }
        return bridge;
    }

    private void housekeep() {
        long now = registry.clock().nanoTime();
        for (VoiceMember m : voice.values()) {
            m.pollDigits(now);
        }
    }

    private VoiceMember requireVoice(String legId) {
        VoiceMember m = voice.get(legId);
        if (m == null) {
            throw new ConversationException(ConversationException.Kind.NO_SUCH_LEG,
                    "no live voice leg " + legId + " in conversation " + id);
        }
        return m;
    }

    private void logStats(String memberId, BridgeLeg leg) {
        if (leg == null) {
            return;
        }
        BridgeLegStats s = leg.stats();
        log.info("Media of {}: {}", memberId, s);
    }

    /** Runs {@code r} with the conversation in the log context; callbacks from other layers enter through here. */
    void inConversation(Runnable r) {
        String previous = MDC.get("conv");
        MDC.put("conv", id);
        try {
            r.run();
        } finally {
            if (previous == null) {
                MDC.remove("conv");
            } else {
                MDC.put("conv", previous);
            }
        }
    }
}
