package io.warmline.bridge.conversation;

import io.warmline.bridge.internal.LogContext;
import io.warmline.bridge.internal.ThreadCpu;
import io.warmline.bridge.recording.ConversationRecording;
import io.warmline.bridge.recording.RecordingView;
import io.warmline.config.RecordingMode;
import io.warmline.bridge.metrics.LegKind;
import io.warmline.bridge.metrics.LegSample;
import io.warmline.bridge.metrics.NodeMetrics;
import io.warmline.bridge.metrics.TrackedBridge;
import io.warmline.bridge.metrics.TrackedLeg;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.BridgeLegStats;
import io.warmline.media.bridge.BridgeStats;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.LegCodecs;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.dtmf.leg.DialHandle;
import io.warmline.dtmf.leg.DialRejectedException;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.play.ToneGenerator;
import io.warmline.media.play.ToneSpec;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.MediaLeg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live conversation: its WebRTC legs and escalated SIP legs, all terminated in one {@link MediaBridge} on one
 * event loop. Everyone in the bridge hears everyone else (customer and human hear each other once the human's leg
 * is answered), except while the support line's IVR is being navigated: then only the navigation hears that leg,
 * it hears nobody, and the customer hears comfort audio (DESIGN.md, hearing matrix). Keys heard on any leg are this
 * conversation's events; keys on demand reach only this conversation's legs. A recording (on request, or when an
 * escalation to a recorded target is answered) adds recorders to the bridge until it is stopped or the conversation
 * ends. The conversation ends when its last leg leaves.
 *
 * <p>Not thread-safe: every method runs on {@link #loop}; the registry hops there.
 */
final class Conversation {
    private static final Logger log = LoggerFactory.getLogger(Conversation.class);
    /** The leg name that means the live escalation's answered SIP leg. */
    static final String SUPPORT = "support";
    private static final String COMFORT = "comfort";
    /** How often open DTMF events are checked for their inactivity timeout. */
    private static final long HOUSEKEEPING_MILLIS = 200;

    final String id;
    final EventLoop loop;
    private final ConversationRegistry registry;
    private final Map<String, VoiceMember> voice = new LinkedHashMap<>();
    private final Map<String, EscalationCall> escalations = new LinkedHashMap<>();
    private final List<String> humans = new ArrayList<>();
    /** Human legs answered whose IVR is still being navigated. */
    private final Set<String> navigating = new HashSet<>();
    private final DtmfEvents events;
    private boolean comfortPlaying;
    private final Map<String, BridgeLeg> humanLegs = new LinkedHashMap<>();
    private MediaBridge bridge;
    private ConversationRecording recording;
    private TrackedBridge trackedBridge;
    /** Every leg in the bridge (voice and human), by member id, as the node's meters track it. */
    private final Map<String, TrackedLeg> trackedLegs = new HashMap<>();
    private ScheduledFuture<?> housekeeping;
    private boolean ended;
    /** Voice legs joined or answered and joining, or {@link #ENDED}; taken on any thread (the HTTP loop). */
    private final AtomicInteger voiceLegs = new AtomicInteger();
    private static final int ENDED = -1;

    Conversation(String id, EventLoop loop, ConversationRegistry registry) {
        this(id, loop, registry, DtmfEvents.LOG);
    }

    Conversation(String id, EventLoop loop, ConversationRegistry registry, DtmfEvents events) {
        this.id = id;
        this.loop = loop;
        this.registry = registry;
        this.events = events;
    }

    DtmfEvents events() {
        return events;
    }

    NanoClock clock() {
        return registry.clock();
    }

    NodeMetrics metrics() {
        return registry.metrics();
    }

    boolean isEnded() {
        return ended;
    }

    EscalationDialer dialer() {
        return registry.dialer();
    }

    /**
     * Takes a place for one more voice leg, on any thread, before its offer is answered: at most {@code max} legs
     * (joined or still joining), and none once the conversation has ended.
     *
     * @return false when the conversation has ended (the caller starts a fresh one)
     * @throws ConversationException of kind {@link ConversationException.Kind#TOO_MANY_LEGS} when it is full
     */
    boolean reserveVoice(int max) {
        while (true) {
            int n = voiceLegs.get();
            if (n == ENDED) {
                return false;
            }
            if (n >= max) {
                throw new ConversationException(ConversationException.Kind.TOO_MANY_LEGS, "conversation " + id
                        + " already has " + n + " voice leg" + (n == 1 ? "" : "s") + " (at most " + max
                        + "); DELETE one first");
            }
            if (voiceLegs.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private void releaseVoice() {
        voiceLegs.decrementAndGet();
    }

    /**
     * Answers an offer with a new WebRTC leg, on the calling thread (the HTTP loop: the answer does not wait for the
     * conversation's loop, which mixes its media), and queues its joining the bridge on the conversation's loop. The
     * leg is indexed before the answer goes out, and anything the API does with it next (trickle, restart, DELETE)
     * queues on the same loop behind the join. Needs a place taken with {@link #reserveVoice}; gives it back when
     * the offer is refused (the caller then ends the conversation if that left it empty).
     *
     * @param receivedNanos when the offer arrived (the registry's clock), or -1: the leg's handshake counts from it
     */
    VoiceLegOpened answerVoiceOffer(String offerSdp, String tokenId, long receivedNanos) {
        String legId = registry.newId();
        VoiceMember[] self = new VoiceMember[1];
        long received = receivedNanos >= 0 ? receivedNanos : registry.clock().nanoTime();
        long cpuStart = ThreadCpu.nanos();
        AcceptedVoiceLeg leg;
        try {
            leg = registry.voiceLegs().accept(offerSdp, loop, received, new VoiceLegEvents() {
                @Override
                public void onConnected() {
                    inConversation(() -> {
                        if (self[0] != null) {
                            self[0].connected = true;
                            logConnected(self[0]);
                        }
                    });
                }

                @Override
                public void onEnded(String reason) {
                    inConversation(() -> closeVoiceLeg(legId, reason));
                }
            });
        } catch (RuntimeException e) {
            releaseVoice();
            throw e;
        }
        long answerCpu = ThreadCpu.nanos() - cpuStart;
        VoiceMember member = new VoiceMember(id, legId, tokenId, leg);
        registry.indexLeg(member.ref());
        if (!runOnLoop(() -> join(member, self, answerCpu))) {
            registry.unindexLeg(id, legId);
            leg.close();
            releaseVoice();
            throw new ConversationException(ConversationException.Kind.NOT_ACCEPTING, "this node is shutting down");
        }
        return new VoiceLegOpened(legId, leg.answerSdp(), member.etag(), leg::markAnswerSent);
    }

    /** Joins an answered leg to the bridge, on the loop. */
    private void join(VoiceMember member, VoiceMember[] self, long answerCpu) {
        long cpuStart = ThreadCpu.nanos();
        String legId = member.legId;
        AcceptedVoiceLeg leg = member.leg;
        if (leg.ended()) {
            // It ended (e.g. the port refused it) before it could join: its end found nothing to remove.
            leave(legId, leg, "ended before joining");
            return;
        }
        try {
            BridgeLeg bl = bridge().addLeg(member.memberId(), leg.endpoint(), leg.codec());
            member.attach(bl, events, registry.clock());
            trackedLegs.put(member.memberId(), registry.metrics().track(LegKind.WEBRTC, loop,
                    () -> LegSample.webRtc(bl.stats())));
        } catch (RuntimeException e) {
            leave(legId, leg, "cannot join the conversation's media: " + e.getMessage());
            return;
        }
        self[0] = member;
        voice.put(legId, member);
        updateMatrix();
        leg.markJoined(registry.clock().nanoTime());
        log.info("Voice leg {} joined ({} {}); {} voice leg(s), {} human leg(s); CPU to answer {} ms, to join {} ms",
                legId, leg.codec().encoding(), leg.codec().payloadType(), voice.size(), humans.size(),
                millis(answerCpu), millis(ThreadCpu.nanos() - cpuStart));
        if (leg.handshakeNanos() >= 0) {
            member.connected = true;
            logConnected(member);
        }
    }

    private void leave(String legId, AcceptedVoiceLeg leg, String reason) {
        registry.unindexLeg(id, legId);
        leg.close();
        releaseVoice();
        log.warn("Voice leg {} left before joining: {}", legId, reason);
        endIfEmpty();
    }

    private void logConnected(VoiceMember m) {
        log.info("Voice leg {} connected: ICE and DTLS done {} ms after the offer", m.legId,
                String.format(java.util.Locale.ROOT, "%.1f", m.leg.handshakeNanos() / 1e6));
    }

    /** Runs {@code r} in this conversation on its loop; false when the loop no longer takes tasks. */
    private boolean runOnLoop(Runnable r) {
        try {
            loop.execute(() -> inConversation(r));
            return true;
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return false;
        }
    }

    /** Trickled candidates for the ICE session {@code ifMatch} names (RFC 9725 §4.3.2). */
    void trickle(String legId, String ifMatch, String fragment) {
        VoiceMember m = requireVoice(legId);
        if (!m.etagMatches(ifMatch)) {
            throw new ConversationException(ConversationException.Kind.ETAG_MISMATCH, "If-Match " + ifMatch
                    + " does not match the leg's ICE session " + m.etag());
        }
        m.leg.trickle(fragment);
    }

    /** An ICE restart (RFC 9725 §4.3.3): the leg's new credentials and its new entity tag. */
    IceRestarted restartIce(String legId, String fragment) {
        VoiceMember m = requireVoice(legId);
        String answer = m.leg.restartIce(fragment);
        registry.indexLeg(m.ref());
        log.info("Voice leg {}: ICE restarted, now ICE session {}", legId, m.etag());
        return new IceRestarted(answer, m.etag());
    }

    /** Removes a WebRTC leg (DELETE, consent lost, DTLS closed); the last leg out ends the conversation. */
    void closeVoiceLeg(String legId, String reason) {
        VoiceMember m = voice.remove(legId);
        if (m == null) {
            return;
        }
        releaseVoice();
        registry.unindexLeg(id, legId);
        endTracking(m.memberId());
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

    /**
     * The human's line answered: its leg joins the bridge, or null when the customer already left. While
     * {@code navigating}, only the navigation hears it and the customer hears comfort audio until
     * {@link #humanReady}.
     */
    BridgeLeg joinHuman(EscalationCall call, MediaLeg media, LegCodecs codecs, boolean navigating) {
        if (ended || voice.isEmpty()) {
            return null;
        }
        BridgeLeg leg = bridge().addLeg(call.memberId(), media, codecs);
        humanLegs.put(call.memberId(), leg);
        boolean opus = codecs.send().encoding() == LegCodec.Encoding.OPUS;
        trackedLegs.put(call.memberId(), registry.metrics().track(LegKind.SIP, loop,
                () -> LegSample.sip(media.stats(), leg.stats(), opus)));
        humans.add(call.memberId());
        if (navigating) {
            this.navigating.add(call.memberId());
        }
        if (recording == null && registry.recordsTarget(call.target) && registry.recorder().enabled()) {
            recording = registry.recorder().start(bridge, id, null);
            log.info("Recording the conversation: target {} is recorded ({})", call.target, recording.mode().key());
        }
        updateMatrix();
        registry.indexEscalation(id, call.id, call.view());
        return leg;
    }

    /** The IVR is through: customer and human hear each other. */
    void humanReady(EscalationCall call) {
        if (navigating.remove(call.memberId())) {
            updateMatrix();
        }
    }

    void leaveHuman(EscalationCall call) {
        navigating.remove(call.memberId());
        BridgeLeg leg = humanLegs.remove(call.memberId());
        endTracking(call.memberId());
        if (humans.remove(call.memberId()) && bridge != null && !ended) {
            logStats(call.memberId(), leg);
            bridge.remove(call.memberId());
            updateMatrix();
        }
    }

    /**
     * Presses {@code digits} on a leg of this conversation: {@code leg} null or {@code "support"} is the answered
     * SIP leg of the live escalation; else an escalation id or a voice leg id of this conversation. Legs are
     * resolved here, among this conversation's own legs only.
     */
    DtmfPressed pressDigits(String leg, String digits) {
        String name;
        LegKeys keys;
        if (leg == null || leg.equals(SUPPORT)) {
            EscalationCall live = null;
            for (EscalationCall e : escalations.values()) {
                if (e.state().isLive()) {
                    live = e;
                }
            }
            if (live == null || live.keys() == null) {
                throw new ConversationException(ConversationException.Kind.NO_LIVE_LEG, "conversation " + id
                        + (live == null ? " has no live escalation" : " has no answered support line yet (escalation "
                        + live.id + " is " + live.state() + ")"));
            }
            name = SUPPORT;
            keys = live.keys();
        } else {
            EscalationCall e = escalations.get(leg);
            VoiceMember v = voice.get(leg);
            if (e != null && e.state().isLive() && e.keys() != null) {
                keys = e.keys();
            } else if (v != null) {
                keys = v.keys();
                if (keys == null) {
                    throw new ConversationException(ConversationException.Kind.DTMF_UNAVAILABLE, "voice leg " + leg
                            + " negotiated no telephone-event: keys cannot be sent to it");
                }
            } else {
                throw new ConversationException(ConversationException.Kind.NO_LIVE_LEG, "conversation " + id
                        + " has no live leg " + leg + " (legs are \"support\", an answered escalation's id, or a"
                        + " voice leg's id)");
            }
            name = leg;
        }
        try {
            DialHandle handle = keys.dialer().press(digits);
            String handleId = registry.newId();
            log.info("dtmf-requested conv={} leg={} handle={} characters={}", id, keys.dtmf().legId(), handleId,
                    digits.length());
            return new DtmfPressed(id, name, handleId, handle);
        } catch (DialRejectedException e) {
            throw ConversationException.dtmfRefused(e);
        }
    }

    /** Starts recording the conversation's bridge; {@code mode} null: the configured default. */
    RecordingView startRecording(RecordingMode mode) {
        if (!registry.recorder().enabled()) {
            throw new ConversationException(ConversationException.Kind.RECORDING_NOT_CONFIGURED,
                    "this node has no recording directory configured");
        }
        if (recording != null) {
            throw new ConversationException(ConversationException.Kind.ALREADY_RECORDING,
                    "conversation " + id + " is already being recorded");
        }
        recording = registry.recorder().start(bridge(), id, mode);
        updateMatrix();
        log.info("Recording started on request ({})", recording.mode().key());
        return recording.view();
    }

    RecordingView stopRecording() {
        if (recording == null) {
            throw new ConversationException(ConversationException.Kind.NOT_RECORDING,
                    "conversation " + id + " is not being recorded");
        }
        RecordingView view = recording.view();
        recording.stop();
        recording = null;
        updateMatrix();
        log.info("Recording stopped on request");
        return view;
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
        // A leg answered on another thread and not joined yet holds a place: its join ends or keeps the conversation.
        if (!voiceLegs.compareAndSet(0, ENDED)) {
            return;
        }
        ended = true;
        if (housekeeping != null) {
            housekeeping.cancel(false);
        }
        if (recording != null) {
            recording.stop();
            recording = null;
        }
        for (String member : List.copyOf(trackedLegs.keySet())) {
            endTracking(member);
        }
        if (bridge != null) {
            BridgeStats s = bridge.stats();
            trackedBridge.closed(s);
            bridge.close();
            log.info("Conversation ended; bridge ticks {} skipped {} late {}; output frames due {} sent {} late {}",
                    s.ticks(), s.skippedTicks(), s.lateTicks(), s.framesDue(), s.outputFrames(), s.lateOutputFrames());
        } else {
            log.info("Conversation ended");
        }
        registry.ended(this);
    }

    /**
     * Everyone hears everyone else: the customer's legs and the answered human legs. A human leg whose IVR is being
     * navigated hears nobody and is heard by nobody (its navigation taps the leg itself), and the customer's legs
     * hear comfort audio meanwhile.
     */
    private void updateMatrix() {
        if (bridge == null || ended) {
            return;
        }
        List<String> members = new ArrayList<>();
        for (VoiceMember m : voice.values()) {
            members.add(m.memberId());
        }
        for (String h : humans) {
            if (!navigating.contains(h)) {
                members.add(h);
            }
        }
        HearingMatrix.Builder matrix = HearingMatrix.builder().conference(members.toArray(String[]::new));
        boolean comfort = !navigating.isEmpty();
        if (comfort && !comfortPlaying) {
            bridge.addSource(COMFORT, new ToneGenerator(ToneSpec.comfort(), registry.mixRate()));
        } else if (!comfort && comfortPlaying) {
            bridge.remove(COMFORT);
        }
        comfortPlaying = comfort;
        if (comfort) {
            for (VoiceMember m : voice.values()) {
                matrix.hears(m.memberId(), COMFORT);
            }
        }
        if (recording != null) {
            // Every leg is recorded, a human leg whose IVR is navigated too; comfort audio is not.
            List<String> legs = new ArrayList<>();
            for (VoiceMember m : voice.values()) {
                legs.add(m.memberId());
            }
            legs.addAll(humans);
            recording.hear(matrix, legs);
        }
        bridge.setMatrix(matrix.build());
    }

    private MediaBridge bridge() {
        if (bridge == null) {
            // the widest rate a mix group may sum at: a group that hears or feeds only telephone-band audio sums
            // at 8 kHz (MixGroup.rate()), and an Opus leg only 8 kHz listeners hear is decoded at 8 kHz
            bridge = MediaBridge.start(loop, registry.clock(), registry.mixRate());
            trackedBridge = registry.metrics().track(bridge);
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
        for (EscalationCall e : escalations.values()) {
            if (e.keys() != null) {
                e.keys().poll(now);
            }
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

    /** The leg's final quality goes to the meters (before it leaves the bridge). */
    private void endTracking(String memberId) {
        TrackedLeg t = trackedLegs.remove(memberId);
        if (t != null) {
            t.ended();
        }
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
        LogContext.inConversation(id, r);
    }

    private static String millis(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
    }
}
