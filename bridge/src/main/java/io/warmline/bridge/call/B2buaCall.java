package io.warmline.bridge.call;

import io.warmline.bridge.conversation.ConversationException;
import io.warmline.bridge.internal.LogContext;
import io.warmline.bridge.recording.ConversationRecording;
import io.warmline.bridge.recording.Recorder;
import io.warmline.bridge.recording.RecordingView;
import io.warmline.config.RecordingMode;
import io.warmline.bridge.metrics.CallOutcome;
import io.warmline.bridge.metrics.LegKind;
import io.warmline.bridge.metrics.LegSample;
import io.warmline.bridge.metrics.NodeMetrics;
import io.warmline.bridge.metrics.TrackedBridge;
import io.warmline.bridge.metrics.TrackedLeg;
import io.netty.channel.EventLoop;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.leg.DigitHeard;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.BridgeLegStats;
import io.warmline.media.bridge.BridgeStats;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.LegCodecs;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.quality.LegQuality;
import io.warmline.media.relay.MediaRelay;
import io.warmline.media.relay.MediaRelayStats;
import io.warmline.media.sdp.Direction;
import io.warmline.media.sdp.Negotiated;
import io.warmline.media.sdp.NoCommonCodecException;
import io.warmline.media.sdp.OfferAnswer;
import io.warmline.media.sdp.PayloadFormat;
import io.warmline.media.sdp.SdpException;
import io.warmline.media.sdp.SdpOrigin;
import io.warmline.media.sdp.SessionDescription;
import io.warmline.media.transport.MediaLeg;
import io.warmline.media.transport.MediaLegOptions;
import io.warmline.media.transport.MediaLegStats;
import io.warmline.media.transport.PortsExhaustedException;
import io.warmline.media.transport.RtcpStats;
import io.warmline.sip.DtmfInfoCallback;
import io.warmline.sip.EndReason;
import io.warmline.sip.FailureReason;
import io.warmline.sip.InboundLeg;
import io.warmline.sip.OutboundLeg;
import io.warmline.sip.ReinviteCallback;
import io.warmline.sip.ReinviteResponder;
import io.warmline.sip.SipService;
import io.warmline.sip.Trunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One carrier call bridged to one support line: the inbound (UAS) leg, the outbound (UAC) leg, an RTP endpoint for
 * each, and the media between them. Media is anchored: each leg sees only Warmline's address in SDP.
 *
 * <p>Media is relayed ({@link MediaRelay}: header rewrite, PCMU ↔ PCMA in place) while the two legs' codecs allow
 * it. It is terminated in a {@link MediaBridge} (jitter buffer, decode, mix, encode) when they do not (Opus on one
 * side only), from the moment the support line's codec is known or a re-INVITE changes one; and from the start when
 * the target needs the decoded audio (it has a DTMF sequence to navigate its IVR with, or the call is recorded). A
 * recording started through the API terminates a relayed call. A terminated call stays terminated; a later codec
 * change swaps that leg's codec in the bridge.
 *
 * <pre>
 *   NEW --start--> DIALING --180/183--> EARLY --2xx--> CONNECTED --BYE either side--> ENDED
 *    \________________\__________________\___________ failure, CANCEL, drain ______/
 * </pre>
 *
 * <p>Not thread-safe: confined to its event loop. The SIP layer delivers every leg callback on that loop, and the
 * media legs live there too.
 */
final class B2buaCall {
    private static final Logger log = LoggerFactory.getLogger(B2buaCall.class);

    enum State {
        NEW, DIALING, EARLY, CONNECTED, ENDED;

        boolean canMoveTo(State to) {
            return switch (this) {
                case NEW -> to == DIALING || to == ENDED;
                case DIALING, EARLY -> to == EARLY || to == CONNECTED || to == ENDED;
                case CONNECTED -> to == ENDED;
                case ENDED -> false;
            };
        }
    }

    /** Per-leg media state: the RTP endpoint, our o= line, our codec preference and the current agreement. */
    private static final class Side {
        final String name;
        final List<String> codecs;
        final SdpOrigin origin = SdpOrigin.random(ThreadLocalRandom.current());
        MediaLeg media;
        /** This side in the bridge, once the call's media is terminated. */
        BridgeLeg bridged;
        /** The leg's quality and counters in the node's meters, from the moment its RTP endpoint opens. */
        TrackedLeg tracked;
        Negotiated negotiated;
        SessionDescription localOffer;
        /** The direction this leg should have; while a re-INVITE is in flight the next one waits (RFC 3261 §14.1). */
        Direction wantedDirection;
        boolean reinviting;

        Side(String name, List<String> codecs) {
            this.name = name;
            this.codecs = codecs;
        }
    }

    private final CallSettings settings;
    private final io.warmline.media.transport.RtpPortAllocator ports;
    private final EventLoop loop;
    private final SipService sip;
    private final InboundLeg inbound;
    private final Trunk outTrunk;
    private final String targetNumber;
    private final Consumer<B2buaCall> onEnded;
    private final String conversation;
    private final Side caller;
    private final Side callee;
    private OutboundLeg outbound;
    private final boolean alwaysTerminate;
    private final boolean preferCallerCodec;
    private MediaRelay relay;
    private MediaBridge bridge;
    private TrackedBridge trackedBridge;
    private final NodeMetrics metrics;
    private CallOutcome outcome;
    /** Set before {@link #start()} when the target navigates an IVR; the call's media is then terminated. */
    private DtmfPlan dtmfPlan;
    private CallDtmf dtmf;
    private Recorder recorder = Recorder.disabled();
    /** The recording wanted (by config or the API); it starts when the media is terminated. */
    private RecordingMode recordMode;
    private ConversationRecording recording;
    private State state = State.NEW;

    /**
     * @param preferCallerCodec offer the support line the caller's codec first (so the call can be relayed), rather
     *     than exactly {@code outboundCodecs}' order
     * @param alwaysTerminate terminate the media from the start, whatever the codecs
     */
    B2buaCall(CallSettings settings, io.warmline.media.transport.RtpPortAllocator ports, EventLoop loop,
            SipService sip, InboundLeg inbound, List<String> inboundCodecs, Trunk outTrunk, List<String> outboundCodecs,
            boolean preferCallerCodec, boolean alwaysTerminate, String targetNumber, Consumer<B2buaCall> onEnded,
            NodeMetrics metrics) {
        this.metrics = metrics;
        this.preferCallerCodec = preferCallerCodec;
        this.alwaysTerminate = alwaysTerminate;
        this.settings = settings;
        this.ports = ports;
        this.loop = loop;
        this.sip = sip;
        this.inbound = inbound;
        this.outTrunk = outTrunk;
        this.targetNumber = targetNumber;
        this.onEnded = onEnded;
        this.conversation = inbound.conversationId().value();
        this.caller = new Side("caller", inboundCodecs);
        this.callee = new Side("callee", outboundCodecs);
    }

    EventLoop loop() {
        return loop;
    }

    /** How the call ended, once it has (null before). */
    CallOutcome outcome() {
        return outcome;
    }

    /** The name of the trunk the call came in on. */
    String inboundTrunk() {
        return inbound.trunk().name();
    }

    /** Before {@link #start()}: hear keys on both legs and navigate the support line's IVR as {@code plan} says. */
    void useDtmf(DtmfPlan plan) {
        this.dtmfPlan = plan;
    }

    /**
     * Before {@link #start()}: where recordings go, and whether this call is recorded from the start ({@code mode}
     * null: only when asked through the API).
     */
    void useRecording(Recorder recorder, RecordingMode mode) {
        this.recorder = recorder;
        this.recordMode = mode;
    }

    String conversationId() {
        return conversation;
    }

    boolean isEnded() {
        return state == State.ENDED;
    }

    /** Starts recording (terminating relayed media); on the call's loop. */
    RecordingView startRecording(RecordingMode mode) {
        if (state == State.ENDED) {
            throw new ConversationException(ConversationException.Kind.NO_SUCH_CONVERSATION,
                    "the call of conversation " + conversation + " has ended");
        }
        if (!recorder.enabled()) {
            throw new ConversationException(ConversationException.Kind.RECORDING_NOT_CONFIGURED,
                    "this node has no recording directory configured");
        }
        if (recordMode != null) {
            throw new ConversationException(ConversationException.Kind.ALREADY_RECORDING,
                    "conversation " + conversation + " is already being recorded");
        }
        recordMode = mode != null ? mode : recorder.defaultMode();
        if (bridge != null) {
            recording = recorder.start(bridge, conversation, recordMode);
            bridge.setMatrix(matrix());
        } else if (caller.negotiated != null && callee.negotiated != null) {
            placeMedia();
        }
        log.info("Recording started on request ({})", recordMode.key());
        return recordingView();
    }

    /** Stops the recording; the media stays terminated. On the call's loop. */
    RecordingView stopRecording() {
        if (state == State.ENDED) {
            throw new ConversationException(ConversationException.Kind.NO_SUCH_CONVERSATION,
                    "the call of conversation " + conversation + " has ended");
        }
        if (recordMode == null) {
            throw new ConversationException(ConversationException.Kind.NOT_RECORDING,
                    "conversation " + conversation + " is not being recorded");
        }
        RecordingView view = recordingView();
        recordMode = null;
        if (recording != null) {
            recording.stop();
            recording = null;
            bridge.setMatrix(matrix());
        }
        log.info("Recording stopped on request");
        return view;
    }

    private RecordingView recordingView() {
        return recording != null ? recording.view()
                : new RecordingView(conversation, recordMode, java.time.Instant.now(), List.of());
    }

    /** Caller and support line hear each other; the recorders hear what they record. */
    private HearingMatrix matrix() {
        HearingMatrix.Builder m = HearingMatrix.builder().conference(caller.name, callee.name);
        if (recording != null) {
            recording.hear(m, List.of(caller.name, callee.name));
        }
        return m.build();
    }

    /** Answers nothing yet: negotiates the caller's offer, opens both RTP endpoints and dials the target. */
    void start() {
        inCall(() -> {
            String offerText = inbound.remoteSdp();
            if (offerText == null || offerText.isBlank()) {
                // A late-offer INVITE would need our offer in the 200 and the answer in the ACK; carriers send offers.
                fail(488, "Not Acceptable Here", warning("INVITE without an SDP offer is not supported"), "no-offer");
                return;
            }
            SessionDescription offer;
            try {
                offer = SessionDescription.parse(offerText);
            } catch (SdpException e) {
                fail(400, "Bad Request", warning("malformed SDP: " + e.getMessage()), "bad-sdp");
                return;
            }
            try {
                caller.media = openMedia();
                caller.tracked = track(caller);
                caller.negotiated = OfferAnswer.answer(offer, caller.origin, settings.advertisedAddress(),
                        caller.media.localRtpPort(), caller.codecs);
                applyRemote(caller);
                callee.media = openMedia();
                callee.tracked = track(callee);
            } catch (NoCommonCodecException e) {
                fail(e.sipStatus(), "Not Acceptable Here", e.warningHeaderValue(settings.advertisedAddress()),
                        "no-common-codec");
                return;
            } catch (SdpException e) {
                fail(488, "Not Acceptable Here", warning("unusable SDP offer: " + e.getMessage()), "bad-sdp");
                return;
            } catch (PortsExhaustedException e) {
                fail(503, "Service Unavailable", null, "rtp-ports-exhausted");
                return;
            } catch (IOException e) {
                fail(503, "Service Unavailable", null, "rtp-bind-failed: " + e.getMessage());
                return;
            }
            // Unless the target orders its codecs, offer the caller's first, so the relay can forward as it is.
            List<String> offered = preferCallerCodec
                    ? preferring(callee.codecs, caller.negotiated.codec()) : callee.codecs;
            callee.localOffer = OfferAnswer.offer(callee.origin, settings.advertisedAddress(),
                    callee.media.localRtpPort(), offered, true, Direction.SENDRECV);
            if (!alwaysTerminate) {
                relay = MediaRelay.connect(caller.media, callee.media);
                relay.onNoMedia(leg -> inCall(() -> noMedia(leg == caller.media ? caller : callee)));
            }
            inbound.setListener(new CallerListener());
            transition(State.DIALING, "dialing " + targetNumber + " via trunk " + outTrunk.name());
            try {
                outbound = sip.dial(outTrunk, targetNumber, inbound.conversationId(), callee.localOffer.encode(),
                        loop, new CalleeListener());
            } catch (RuntimeException e) {
                // e.g. a target number the SIP layer cannot put in a Request-URI: the caller must still get an answer.
                log.error("Cannot dial {} via trunk {}: {}", targetNumber, outTrunk.name(), e.getMessage());
                fail(FailureReason.TRUNK_ERROR.sipStatus(), "Bad Gateway", null, "dial-failed");
            }
        });
    }

    /** Ends the call from our side (drain, shutdown). */
    void hangup(String reason) {
        inCall(() -> {
            if (state != State.ENDED) {
                inbound.hangup();
                callerGone(reason);
            }
        });
    }

    /** The caller's leg is over (or we end it): end the support line's leg too. */
    private void callerGone(String reason) {
        if (outbound != null) {
            outbound.hangup();
        }
        end(reason);
    }

    /** The support line's leg is over: end the caller's leg too. */
    private void calleeGone(String reason) {
        inbound.hangup();
        end(reason);
    }

    private final class CallerListener implements InboundLeg.Listener {
        @Override
        public void onDtmf(DtmfInfo info) {
            inCall(() -> heardInfo(CallDtmf.CALLER, info));
        }

        @Override
        public void onCancelled() {
            inCall(() -> callerGone("caller-cancelled"));
        }

        @Override
        public void onBye() {
            inCall(() -> callerGone("caller-hung-up"));
        }

        @Override
        public void onReinvite(String sdpOffer, ReinviteResponder responder) {
            inCall(() -> reinvited(caller, callee, sdpOffer, responder));
        }

        @Override
        public void onEnded(EndReason reason) {
            inCall(() -> callerGone("caller-leg-" + reason.name().toLowerCase(Locale.ROOT)));
        }
    }

    private final class CalleeListener implements OutboundLeg.Listener {
        @Override
        public void onDtmf(DtmfInfo info) {
            inCall(() -> heardInfo(CallDtmf.CALLEE, info));
        }

        @Override
        public void onProvisional(int status, String sdp) {
            inCall(() -> {
                if (state != State.DIALING && state != State.EARLY) {
                    return;
                }
                if (sdp != null && !sdp.isBlank()) {
                    if (!acceptCalleeAnswer(sdp)) {
                        return;
                    }
                    transition(State.EARLY, status + " with early media");
                    inbound.progress(caller.negotiated.local().encode());
                } else {
                    transition(State.EARLY, status + " ringing");
                    inbound.ringing();
                }
            });
        }

        @Override
        public void onAnswered(String sdp) {
            inCall(() -> {
                if (state != State.DIALING && state != State.EARLY) {
                    return;
                }
                if (sdp != null && !sdp.isBlank()) {
                    if (!acceptCalleeAnswer(sdp)) {
                        return;
                    }
                } else if (callee.negotiated == null) {
                    outbound.hangup();
                    fail(488, "Not Acceptable Here", warning("support line answered without SDP"), "callee-no-sdp");
                    return;
                }
                inbound.answer(caller.negotiated.local().encode());
                transition(State.CONNECTED, "answered");
                navigate();
            });
        }

        @Override
        public void onFailed(FailureReason reason, int status, String reasonPhrase) {
            inCall(() -> {
                if (state == State.ENDED) {
                    return;
                }
                log.info("Support line failed: {} ({} {})", reason, status, reasonPhrase);
                inbound.reject(reason.sipStatus(), reasonPhrase, null);
                end("callee-" + reason.name().toLowerCase(Locale.ROOT));
            });
        }

        @Override
        public void onBye() {
            inCall(() -> calleeGone("callee-hung-up"));
        }

        @Override
        public void onReinvite(String sdpOffer, ReinviteResponder responder) {
            inCall(() -> reinvited(callee, caller, sdpOffer, responder));
        }

        @Override
        public void onEnded(EndReason reason) {
            inCall(() -> calleeGone("callee-leg-" + reason.name().toLowerCase(Locale.ROOT)));
        }
    }

    /** Applies the support line's answer (in a 183 or the 2xx) to the callee side; on failure ends the call. */
    private boolean acceptCalleeAnswer(String sdp) {
        try {
            callee.negotiated = OfferAnswer.accept(callee.localOffer, SessionDescription.parse(sdp));
            applyRemote(callee);
            return placeMedia();
        } catch (SdpException | NoCommonCodecException e) {
            log.warn("Unusable answer from the support line: {}", e.getMessage());
            outbound.hangup();
            fail(488, "Not Acceptable Here", warning("support line answered with unusable SDP"), "callee-bad-sdp");
            return false;
        }
    }

    /**
     * A re-INVITE on one leg (hold, unhold, codec change, session refresh): answered at once from our own endpoint,
     * which can always receive what was offered; a change of direction is reflected to the other leg so that hold
     * reaches the far end. Codec changes stay on their leg: the relay transcodes.
     */
    private void reinvited(Side from, Side other, String sdpOffer, ReinviteResponder responder) {
        if (state == State.ENDED || from.negotiated == null) {
            responder.reject(491);
            return;
        }
        if (sdpOffer == null || sdpOffer.isBlank()) {
            // Offerless re-INVITE: our current description is the offer; the far end's answer comes in the ACK.
            responder.accept(from.negotiated.local().encode());
            return;
        }
        Direction before = from.negotiated.remoteDirection();
        try {
            from.negotiated = OfferAnswer.answer(SessionDescription.parse(sdpOffer), from.origin,
                    settings.advertisedAddress(), from.media.localRtpPort(), from.codecs);
        } catch (NoCommonCodecException e) {
            responder.reject(488);
            return;
        } catch (SdpException e) {
            responder.reject(400);
            return;
        }
        applyRemote(from);
        responder.accept(from.negotiated.local().encode());
        if (callee.negotiated != null && !placeMedia()) {
            return;
        }
        Direction now = from.negotiated.remoteDirection();
        if (now != before && other.negotiated != null) {
            reflectDirection(other, now);
        }
    }

    private void reflectDirection(Side side, Direction direction) {
        side.wantedDirection = direction;
        if (!side.reinviting) {
            sendDirection(side);
        }
    }

    /**
     * Re-INVITEs {@code side} with the direction it should have. Only one re-INVITE per dialog is in flight; a change
     * that arrives meanwhile (unhold right after hold) is sent when it completes. A 491 (glare) is retried after the
     * RFC 3261 §14.1 random wait.
     */
    private void sendDirection(Side side) {
        Direction direction = side.wantedDirection;
        SessionDescription offer = OfferAnswer.offer(side.origin, settings.advertisedAddress(),
                side.media.localRtpPort(), NegotiatedMedia.reoffer(side.negotiated),
                side.negotiated.telephoneEventPt() >= 0, direction);
        side.localOffer = offer;
        side.reinviting = true;
        ReinviteCallback callback = new ReinviteCallback() {
            @Override
            public void onAnswer(String sdp) {
                inCall(() -> {
                    side.reinviting = false;
                    try {
                        side.negotiated = OfferAnswer.accept(offer, SessionDescription.parse(sdp));
                        applyRemote(side);
                        if (!placeMedia()) {
                            return;
                        }
                    } catch (SdpException | NoCommonCodecException e) {
                        log.warn("Unusable answer to the {} re-INVITE: {}", side.name, e.getMessage());
                    }
                    followUp(side, direction, 0);
                });
            }

            @Override
            public void onFailure(int status, String reason) {
                inCall(() -> {
                    side.reinviting = false;
                    log.info("The {} leg refused the re-INVITE ({} {})", side.name, status, reason);
                    followUp(side, direction, status);
                });
            }
        };
        log.info("Reflecting {} to the {} leg", direction, side.name);
        if (side == caller) {
            inbound.reinvite(offer.encode(), callback);
        } else {
            outbound.reinvite(offer.encode(), callback);
        }
    }

    /** After a reflected re-INVITE completes: retry a glare, or send the direction wanted meanwhile. */
    private void followUp(Side side, Direction sent, int failedStatus) {
        if (state == State.ENDED) {
            return;
        }
        if (failedStatus == 491) {
            // §14.1: the Call-ID owner (we are, on the outbound leg) waits 2.1-4 s, the other side 0-2 s.
            long waitMillis = side == callee ? ThreadLocalRandom.current().nextLong(2100, 4001)
                    : ThreadLocalRandom.current().nextLong(0, 2001);
            side.reinviting = true;
            loop.schedule(() -> inCall(() -> {
                side.reinviting = false;
                if (state != State.ENDED) {
                    sendDirection(side);
                }
            }), waitMillis, TimeUnit.MILLISECONDS);
        } else if (side.wantedDirection != sent) {
            sendDirection(side);
        }
    }

    private void applyRemote(Side side) {
        Negotiated n = side.negotiated;
        side.media.setRemote(n.remoteRtp(), n.remoteRtcp());
        side.media.setFormat(NegotiatedMedia.legFormat(n));
        // A far end that holds us (recvonly, inactive) sends nothing: that silence is not a dead leg. One that holds
        // with sendonly or inactive receives nothing: RFC 3264 §6.1 forbids sending to it.
        side.media.setMediaExpected(n.expectsMedia());
        side.media.setSending(n.shouldSend());
    }

    /**
     * Once both sides' codecs are known (and after every change): keeps relaying while the relay can carry them;
     * otherwise terminates the media, or tells the bridge of a changed codec. False when the call had to end.
     */
    private boolean placeMedia() {
        if (bridge == null && !alwaysTerminate && recordMode == null && NegotiatedMedia.relayable(caller.negotiated, callee.negotiated)) {
            return true;
        }
        try {
            LegCodecs callerCodecs = NegotiatedMedia.legCodecs(caller.negotiated);
            LegCodecs calleeCodecs = NegotiatedMedia.legCodecs(callee.negotiated);
            if (bridge == null) {
                terminate(callerCodecs, calleeCodecs);
            } else {
                caller.bridged.setCodecs(callerCodecs);
                callee.bridged.setCodecs(calleeCodecs);
            }
            return true;
        } catch (IllegalArgumentException e) {
            // Config allows only codecs the bridge terminates; a peer forcing another one cannot be carried.
            log.warn("Cannot terminate the call's media: {}", e.getMessage());
            hangup("codec-not-terminable");
            return false;
        }
    }

    private void terminate(LegCodecs callerCodecs, LegCodecs calleeCodecs) {
        if (relay != null) {
            logMedia();
            relay.close();
            relay = null;
        }
        log.info("Terminating the call's media: caller {}, support line {}", describe(callerCodecs),
                describe(calleeCodecs));
        bridge = MediaBridge.start(loop, settings.clock(), CallMedia.MIX_RATE);
        trackedBridge = metrics.track(bridge);
        caller.bridged = bridge.addLeg(caller.name, caller.media, callerCodecs);
        callee.bridged = bridge.addLeg(callee.name, callee.media, calleeCodecs);
        caller.bridged.setNoMediaHandler(() -> inCall(() -> noMedia(caller)));
        callee.bridged.setNoMediaHandler(() -> inCall(() -> noMedia(callee)));
        if (recordMode != null) {
            recording = recorder.start(bridge, conversation, recordMode);
        }
        bridge.setMatrix(matrix());
        if (dtmfPlan != null) {
            DtmfPlan plan = dtmfPlan;
            dtmf = new CallDtmf(conversation, caller.bridged, plan.callerMode(), callee.bridged, plan.calleeMode(),
                    info -> inbound.sendDtmf(info, plan.callerInfoType(), infoResult(CallDtmf.CALLER)),
                    info -> outbound.sendDtmf(info, plan.calleeInfoType(), infoResult(CallDtmf.CALLEE)),
                    CallDtmf.Events.LOG);
            if (plan.duringEarlyMedia() && state == State.EARLY) {
                navigate();
            }
        }
    }

    /** "sends PCMU/0, receives PCMA/8 PCMU/0" for the log. */
    private static String describe(LegCodecs c) {
        StringBuilder b = new StringBuilder("sends ").append(c.send().encoding()).append('/')
                .append(c.send().payloadType()).append(", receives");
        for (LegCodec r : c.receive()) {
            b.append(' ').append(r.encoding()).append('/').append(r.payloadType());
        }
        return b.toString();
    }

    /** Starts the target's IVR sequence on the support line (once; only with terminated media and a sequence). */
    private void navigate() {
        if (dtmf != null && dtmfPlan.sequence() != null) {
            dtmf.navigate(dtmfPlan.sequence(), dtmfPlan.delay(), settings.clock().nanoTime());
        }
    }

    /** A key in an INFO: the leg's DTMF channel hears it; on a relayed call it is reported as it is. */
    private void heardInfo(String leg, DtmfInfo info) {
        long now = settings.clock().nanoTime();
        if (dtmf != null) {
            dtmf.onInfo(leg, info, now);
        } else if (state != State.ENDED) {
            CallDtmf.Events.LOG.heard(conversation,
                    new DigitHeard(leg, info.digit(), DtmfMode.INFO, now, info.durationMillis(), true));
        }
    }

    private DtmfInfoCallback infoResult(String leg) {
        return (status, reason) -> {
            if (status >= 300) {
                log.warn("DTMF INFO on the {} leg answered {} {}", leg, status, reason);
            }
        };
    }

    /** The call's terminated media, or null while it is relayed. On the call's loop. */
    MediaBridge mediaBridge() {
        return bridge;
    }

    private void noMedia(Side side) {
        if (state != State.CONNECTED) {
            return;
        }
        log.info("No RTP from the {} for {}: ending the call", side.name, settings.noMediaTimeout());
        hangup("no-media-from-" + side.name);
    }

    /** A SIP leg's quality from its RTP endpoint, plus its jitter buffer once the call's media is terminated. */
    private TrackedLeg track(Side side) {
        return metrics.track(LegKind.SIP, loop, () -> LegSample.sip(side.media.stats(),
                side.bridged != null ? side.bridged.stats() : null,
                side.negotiated != null && side.negotiated.codec().encoding().equalsIgnoreCase("opus")));
    }

    /** Classifies an end before the answer by the reason {@link #end} was given. */
    static CallOutcome outcomeBeforeAnswer(String reason) {
        if (reason.startsWith("caller-")) {
            return CallOutcome.CANCELLED;
        }
        if (reason.startsWith("callee-")) {
            return CallOutcome.UNANSWERED;
        }
        return switch (reason) {
            case "no-offer", "bad-sdp", "no-common-codec", "rtp-ports-exhausted" -> CallOutcome.REFUSED;
            default -> reason.startsWith("rtp-bind-failed") ? CallOutcome.REFUSED : CallOutcome.FAILED;
        };
    }

    private MediaLeg openMedia() throws PortsExhaustedException, IOException {
        return MediaLeg.open(loop, settings.mediaBindAddress(), ports, new MediaLegOptions(
                settings.noMediaTimeout(), settings.latchWindow(), settings.clock(), "warmline-" + conversation));
    }

    private void fail(int status, String reason, String warning, String why) {
        inbound.reject(status, reason, warning);
        end(why);
    }

    private String warning(String text) {
        // RFC 3261 §20.43: warn-code 399 (miscellaneous), the agent (our host) and a quoted text.
        return "399 " + settings.advertisedAddress() + " \"" + text.replace("\"", "'") + "\"";
    }

    /** The one place the state changes: checks the move is allowed, logs it, and releases media on ENDED. */
    private void transition(State to, String reason) {
        if (!state.canMoveTo(to)) {
            throw new IllegalStateException("call cannot go from " + state + " to " + to + " (" + reason + ")");
        }
        log.info("Call {} -> {}: {}", state, to, reason);
        state = to;
        if (to == State.CONNECTED) {
            outcome = CallOutcome.ANSWERED;
        }
        if (to == State.ENDED) {
            if (outcome == null) {
                outcome = outcomeBeforeAnswer(reason);
            }
            // The legs' final quality is read before their bridge and endpoints close.
            if (caller.tracked != null) {
                caller.tracked.ended();
            }
            if (callee.tracked != null) {
                callee.tracked.ended();
            }
            if (relay != null) {
                logMedia();
                relay.close();
            }
            if (dtmf != null) {
                dtmf.close(settings.clock().nanoTime());
            }
            if (recording != null) {
                recording.stop();
            }
            if (bridge != null) {
                BridgeStats last = bridge.stats();
                logBridge(last);
                trackedBridge.closed(last);
                bridge.close();
            }
            if (caller.media != null) {
                caller.media.close();
            }
            if (callee.media != null) {
                callee.media.close();
            }
            onEnded.accept(this);
        }
    }

    /** One line per call with what crossed each leg, so an operator can tell one-way audio from a quiet call. */
    private void logMedia() {
        MediaLegStats in = caller.media.stats();
        MediaLegStats out = callee.media.stats();
        MediaRelayStats r = relay.stats();
        log.info("Media: caller in/out {}/{} lost {} jitter {} ms rtt {} ms rtcp in/out {}/{} foreign {} malformed {}; "
                        + "callee in/out {}/{} lost {} jitter {} ms rtt {} ms rtcp in/out {}/{} foreign {} malformed {}; "
                        + "relayed {}/{} transcoded {} dropped (format/event/pt) {}/{}/{}",
                in.packetsIn(), in.packetsOut(), in.cumulativeLost(), Math.round(in.jitterMs()), Math.round(in.rttMs()),
                in.rtcpIn(), in.rtcpOut(), in.foreignSourceDropped(), in.malformedDropped(),
                out.packetsIn(), out.packetsOut(), out.cumulativeLost(), Math.round(out.jitterMs()),
                Math.round(out.rttMs()), out.rtcpIn(), out.rtcpOut(), out.foreignSourceDropped(),
                out.malformedDropped(),
                r.forwardedAtoB(), r.forwardedBtoA(), r.transcoded(), r.droppedNoFormat(), r.droppedTelephoneEvent(),
                r.droppedUnknownPayloadType());
    }

    /**
     * One line per terminated call: the late output frames (sent more than 10 ms after their 20 ms deadline, or
     * skipped) and what concealment filled, per leg. The load script sums the late and due counts.
     */
    private void logBridge(BridgeStats b) {
        BridgeLegStats in = caller.bridged.stats();
        BridgeLegStats out = callee.bridged.stats();
        log.info("Terminated media: ticks {} late-ticks {} skipped {} max-tick-lateness {} ms; frames due {} sent {} "
                        + "late {}; encodes {} shared {}; caller in {} lost {} late {} concealed {} jitter-delay {} ms; "
                        + "callee in {} lost {} late {} concealed {} fec {} jitter-delay {} ms",
                b.ticks(), b.lateTicks(), b.skippedTicks(), Math.round(b.maxTickLatenessMillis()), b.framesDue(),
                b.outputFrames(), b.lateOutputFrames(), b.encodes(), b.sharedEncodes(),
                in.packetsIn(), in.jitter().lost(), in.jitter().late(), in.concealedFrames(),
                Math.round(in.jitter().currentDelayMillis()),
                out.packetsIn(), out.jitter().lost(), out.jitter().late(), out.concealedFrames(),
                out.recoveredFrames(), Math.round(out.jitter().currentDelayMillis()));
        log.info("Call quality: caller {}; callee {}", quality(in), quality(out));
    }

    /**
     * RTT and the network's loss each way from RTCP (RFC 3550 §6.4), the E-model MOS of the worse direction, then the
     * late packets our jitter buffer discarded and, apart from all of these, what our own stalls cost the leg.
     */
    private static String quality(BridgeLegStats s) {
        LegQuality q = s.quality();
        RtcpStats r = s.rtcp();
        return String.format(Locale.ROOT, "rtt %.2f ms, loss in %.1f %%, loss out %s, fec %s, R %.1f, MOS %.2f",
                q.rttMillis(), q.receive().lossPercent(),
                q.send() == null ? "unreported" : String.format(Locale.ROOT, "%.1f %%", q.send().lossPercent()),
                s.fecEnabled() ? s.fecLossPercent() + " %" : "off", q.rFactor(), q.mos())
                + (r == null ? "" : ", rtcp in/out " + r.reportsReceived() + "/" + r.reportsSent())
                + String.format(Locale.ROOT,
                        ", discarded in %.1f %%, own: late out %.2f %%, skipped %d, stall drops %d",
                        q.receive().discardPercent(), q.own().lateOutputPercent(), q.own().skippedPeriods(),
                        q.own().stallDrops());
    }

    private void end(String reason) {
        if (state != State.ENDED) {
            transition(State.ENDED, reason);
        }
    }

    private void inCall(Runnable r) {
        LogContext.inConversation(conversation, r);
    }

    private static List<String> preferring(List<String> codecs, PayloadFormat first) {
        List<String> ordered = new ArrayList<>(codecs.size());
        for (String c : codecs) {
            if (first.matches(c)) {
                ordered.add(c);
            }
        }
        for (String c : codecs) {
            if (!first.matches(c)) {
                ordered.add(c);
            }
        }
        return ordered;
    }
}
