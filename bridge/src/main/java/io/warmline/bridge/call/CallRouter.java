package io.warmline.bridge.call;

import io.warmline.bridge.conversation.ConversationException;
import io.warmline.bridge.internal.LogContext;
import io.warmline.bridge.internal.Quiescence;
import io.warmline.bridge.recording.Recorder;
import io.warmline.bridge.recording.RecordingView;
import io.warmline.config.RecordingMode;
import io.warmline.bridge.metrics.NodeMetrics;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.warmline.config.InboundRoute;
import io.warmline.config.TargetConfig;
import io.warmline.config.TrunkConfig;
import io.warmline.config.WarmlineConfig;
import io.warmline.media.transport.RtpPortAllocator;
import io.warmline.sip.InboundCall;
import io.warmline.sip.InboundCallHandler;
import io.warmline.sip.InboundLeg;
import io.warmline.sip.SipService;
import io.warmline.sip.Trunk;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Takes inbound calls from the SIP layer, finds their route and target, and starts a {@link B2buaCall} pinned to one
 * event loop. Also the node's registry of live calls, for draining.
 */
public final class CallRouter implements InboundCallHandler {
    private static final Logger log = LoggerFactory.getLogger(CallRouter.class);

    private final WarmlineConfig config;
    private final Map<String, Trunk> trunks;
    private final Map<String, TrunkConfig> trunkConfigs;
    private final CallSettings settings;
    private final RtpPortAllocator ports;
    private final EventLoopGroup loops;
    private final Set<B2buaCall> calls = ConcurrentHashMap.newKeySet();
    private final Quiescence idle = new Quiescence();
    private final NodeMetrics metrics;
    private volatile boolean accepting = true;
    private SipService sip;
    private Recorder recorder = Recorder.disabled();

    public CallRouter(WarmlineConfig config, CallSettings settings, RtpPortAllocator ports, EventLoopGroup loops,
            Function<TrunkConfig, Trunk> toSipTrunk, NodeMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.trunkConfigs = config.trunks();
        this.trunks = config.trunks().values().stream()
                .collect(Collectors.toUnmodifiableMap(TrunkConfig::name, toSipTrunk));
        this.settings = settings;
        this.ports = ports;
        this.loops = loops;
    }

    public List<Trunk> sipTrunks() {
        return List.copyOf(trunks.values());
    }

    /** The SIP trunk configured under {@code name}, or null (escalations dial targets through these). */
    public Trunk trunk(String name) {
        return trunks.get(name);
    }

    public void attach(SipService sip) {
        this.sip = sip;
    }

    /** Where calls are recorded; before the first call. */
    public void useRecorder(Recorder recorder) {
        this.recorder = recorder;
    }

    /**
     * Starts recording the live carrier call of {@code conversationId} on its loop; null when no call has that
     * conversation (it may be a WebRTC conversation).
     */
    public CompletionStage<RecordingView> startRecording(String conversationId, RecordingMode mode) {
        B2buaCall call = live(conversationId);
        return call == null ? null : onCall(call, () -> call.startRecording(mode));
    }

    /** Stops recording the live carrier call of {@code conversationId}; null when no call has that conversation. */
    public CompletionStage<RecordingView> stopRecording(String conversationId) {
        B2buaCall call = live(conversationId);
        return call == null ? null : onCall(call, call::stopRecording);
    }

    private B2buaCall live(String conversationId) {
        for (B2buaCall c : calls) {
            if (c.conversationId().equals(conversationId)) {
                return c;
            }
        }
        return null;
    }

    private static <T> CompletionStage<T> onCall(B2buaCall call, java.util.function.Supplier<T> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            call.loop().execute(() -> LogContext.inConversation(call.conversationId(), () -> {
                try {
                    f.complete(op.get());
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            }));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new ConversationException(ConversationException.Kind.NOT_ACCEPTING,
                    "this node is shutting down"));
        }
        return f;
    }

    @Override
    public Executor executorFor(InboundCall call) {
        return loops.next();
    }

    @Override
    public void onInvite(InboundLeg leg) {
        MDC.put("conv", leg.conversationId().value());
        try {
            if (!accepting) {
                leg.reject(503, "Service Unavailable", null);
                metrics.rejectedDraining();
                return;
            }
            InboundRoute route = config.routeFor(leg.calledNumber());
            if (route == null) {
                log.info("No route for number {} on trunk {}: 404", leg.calledNumber(), leg.trunk().name());
                leg.reject(404, "Not Found", null);
                metrics.rejectedNoRoute();
                return;
            }
            TargetConfig target = config.targets().get(route.target());
            Trunk outTrunk = trunks.get(target.trunk());
            List<String> inCodecs = trunkConfigs.get(leg.trunk().name()).codecs();
            // A target's own codec list is offered as the operator ordered it; else the trunk's, caller's codec first.
            List<String> outCodecs = target.codecs() != null ? target.codecs()
                    : trunkConfigs.get(target.trunk()).codecs();
            // Navigating an IVR and recording need the decoded audio: such calls are terminated from the start.
            boolean record = recorder.enabled() && (target.record() || trunkConfigs.get(leg.trunk().name()).record());
            boolean terminate = target.dtmf() != null || record;
            B2buaCall call = new B2buaCall(settings, ports, currentLoop(), sip, leg, inCodecs, outTrunk, outCodecs,
                    target.codecs() == null, terminate, target.number(), this::ended, metrics);
            if (target.dtmf() != null) {
                TrunkConfig in = trunkConfigs.get(leg.trunk().name());
                TrunkConfig out = trunkConfigs.get(target.trunk());
                call.useDtmf(new DtmfPlan(target.dtmf(), target.dtmfDelay(), target.dtmfEarlyMedia(), in.dtmfMode(), in.infoContentType(),
                        target.dtmfModeWith(out), out.infoContentType()));
            }
            call.useRecording(recorder, record ? recorder.defaultMode() : null);
            calls.add(call);
            metrics.callStarted(leg.trunk().name());
            log.info("Call from {} to {} routed to target {} ({} via trunk {})", leg.callerNumber(),
                    leg.calledNumber(), target.name(), target.number(), target.trunk());
            call.start();
        } finally {
            MDC.remove("conv");
        }
    }

    private EventLoop currentLoop() {
        for (EventExecutor e : loops) {
            if (e.inEventLoop()) {
                return (EventLoop) e;
            }
        }
        throw new IllegalStateException("onInvite must run on one of the call event loops");
    }

    private void ended(B2buaCall call) {
        metrics.callEnded(call.inboundTrunk(), call.outcome());
        calls.remove(call);
        idle.signal();
    }

    public boolean isAccepting() {
        return accepting;
    }

    public void stopAccepting() {
        accepting = false;
    }

    public int activeCalls() {
        return calls.size();
    }

    /** Blocks the caller (the drain thread, never an event loop) until no call is left or the time is up. */
    public boolean awaitNoCalls(Duration limit) {
        return idle.await(calls::isEmpty, limit);
    }

    /** Ends every call with BYE (or CANCEL/487 where not yet answered). */
    public void hangupAll() {
        for (B2buaCall call : calls) {
            call.loop().execute(() -> call.hangup("node-drained"));
        }
    }
}
