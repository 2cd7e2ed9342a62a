package io.warmline.bridge;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.warmline.bridge.call.CallMedia;
import io.warmline.bridge.call.CallRouter;
import io.warmline.bridge.call.CallSettings;
import io.warmline.bridge.conversation.ConversationException;
import io.warmline.bridge.conversation.ConversationRegistry;
import io.warmline.bridge.conversation.EscalationDialer;
import io.warmline.bridge.conversation.VoiceLegs;
import io.warmline.bridge.conversation.WebRtcVoiceLegs;
import io.warmline.bridge.http.ControlApi;
import io.warmline.bridge.http.HttpServer;
import io.warmline.bridge.recording.Recorder;
import io.warmline.bridge.recording.RecordingView;
import io.warmline.bridge.recording.Recordings;
import io.warmline.config.RecordingMode;
import io.warmline.bridge.metrics.NodeMetrics;
import io.warmline.bridge.warmup.MediaWarmUp;
import io.warmline.config.TargetConfig;
import io.warmline.config.TrunkConfig;
import io.warmline.config.WebRtcConfig;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.sched.RealtimeThreadFactory;
import io.warmline.webrtc.dtls.DtlsCertificate;
import io.warmline.webrtc.dtls.DtlsHandshakeException;
import io.warmline.webrtc.dtls.DtlsWarmUp;
import io.warmline.webrtc.WebRtcEndpoint;
import io.warmline.webrtc.WebRtcEndpointOptions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.warmline.config.ListenPoint;
import io.warmline.config.WarmlineConfig;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.NettyTransport;
import io.warmline.media.transport.RtpPortAllocator;
import io.warmline.sip.SipService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Warmline process: SIP, media and HTTP wired from one config. */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /**
     * Conversations mix at 16 kHz: wideband for the browser's Opus, an exact 2:1 to G.711's 8 kHz, and a third of
     * the decode and encode work of 48 kHz.
     */
    static final int MIX_RATE = 16_000;
    /**
     * Opus toward browsers: wideband at the mix rate, 28 kbit/s, FEC when the browser takes it, complexity 2. The
     * encoder is most of a WebRTC leg's CPU; complexity 2 costs about half of 5 (110 vs 205 µs of CPU per 20 ms
     * frame measured with Concentus here), and below 2 saves little more. A browser that hears only telephone-band
     * audio (its SIP leg, tones) is coded narrowband at 20 kbit/s instead ({@link OpusConfig#narrowed()}, decided
     * per mix by the bridge), about 40 % cheaper again.
     */
    static final OpusConfig OPUS = OpusConfig.wideband();
    /** Enough for BouncyCastle's classes to load and its hot paths to be compiled (a few hundred ms at start). */
    static final int DTLS_WARM_UP_ROUNDS = 20;
    /**
     * Offers parsed and answered at start (about 0.2 s of CPU): the first real offers then take about 0.25 ms of CPU
     * to answer instead of 27 ms for the first and about 1 ms for the next dozens, on the HTTP request's path.
     */
    static final int OFFER_WARM_UP_ROUNDS = 500;
    /** Self-calls of the media warm-up ({@code media.warm-up-seconds}). */
    static final int MEDIA_WARM_UP_LEGS = 16;
    /** The compilers count as done after this long with nothing queued and no compile finished. */
    private static final Duration COMPILER_QUIET = Duration.ofSeconds(1);
    /** The longest the warm-up's media goes on after its set duration waiting for that. */
    private static final Duration COMPILER_CAP = Duration.ofSeconds(20);
    /** Time given to the BYE transactions of the calls ended at the drain deadline. */
    private static final Duration HANGUP_GRACE = Duration.ofSeconds(2);

    private final WarmlineConfig config;
    private final NettyTransport transport;
    private final EventLoopGroup callLoops;
    private final RtpPortAllocator ports;
    private final CallRouter router;
    private final SipService sip;
    private final HttpServer http;
    private final ConversationRegistry conversations;
    private final NodeMetrics metrics = new NodeMetrics();
    private volatile WebRtcEndpoint webrtc;
    private volatile VoiceLegs voiceLegs;
    private volatile Recorder recorder = Recorder.disabled();
    private volatile MediaWarmUp.Result warmUp;

    /** A node on the transport {@code media.transport} asks for (auto: epoll where available). */
    public Node(WarmlineConfig config) {
        this(config, chooseTransport(config));
    }

    /** A node whose loops and sockets all use {@code transport}. */
    public Node(WarmlineConfig config, NettyTransport transport) {
        this.config = config;
        this.transport = transport;
        // One event loop per core (media.call-loops) owns every media socket; each call is pinned to one of them.
        // The work is CPU-bound codec ticks, so more loops than cores only adds preemption and cache misses. They run
        // the media ticks, so they take the operator's real-time priority (media.realtime-priority, 0 = normal).
        this.callLoops = transport.newGroup(config.media().effectiveCallLoops(),
                RealtimeThreadFactory.wrap(new DefaultThreadFactory("warmline-call"),
                config.media().realtimePriority()));
        this.ports = new RtpPortAllocator(config.media().rtpPortMin(), config.media().rtpPortMax());
        CallSettings settings = new CallSettings(
                config.node().advertisedAddress(),
                mediaBindAddress(config),
                config.media().noMediaTimeout(),
                config.media().latchWindow(),
                NanoClock.SYSTEM);
        this.router = new CallRouter(config, settings, ports, callLoops, SipMapping::trunk, metrics);
        this.sip = new SipService(SipMapping.settings(config), router.sipTrunks(), router);
        this.router.attach(sip);
        EscalationDialer dialer = new EscalationDialer(dialTargets(config, router), () -> sip,
                config.node().advertisedAddress(), mediaBindAddress(config), ports, config.media().noMediaTimeout(),
                config.media().latchWindow(), NanoClock.SYSTEM);
        // Until start() binds the WebRTC port, offers are refused as unavailable.
        VoiceLegs legs = (offer, loop, receivedNanos, events) -> {
            VoiceLegs started = voiceLegs;
            if (started == null) {
                throw new ConversationException(ConversationException.Kind.MEDIA_UNAVAILABLE,
                        "the WebRTC port is not open yet");
            }
            return started.accept(offer, loop, receivedNanos, events);
        };
        this.conversations = new ConversationRegistry(callLoops, legs, dialer, config.api().maxVoiceLegs(),
                NanoClock.SYSTEM, MIX_RATE, metrics);
        metrics.bindCalls(config.trunks().keySet(), router::activeCalls, conversations::activeConversations);
        metrics.bindSipRejections(sip::aclRejectedCount, sip::limitRejectedCount, sip::malformedCount);
        ControlApi api = ControlApi.create(config.api(), List.copyOf(config.targets().keySet()), conversations,
                recordings(), Clock.systemUTC(), metrics);
        this.http = new HttpServer(config.http().listen(), () -> router.isAccepting(), api, transport);
    }

    public void start() throws Exception {
        CallMedia.warmUp();
        recorder = Recorder.start(config.recording(), Clock.systemUTC());
        router.useRecorder(recorder);
        Recorder started = recorder;
        metrics.bindRecording(started::stats);
        conversations.useRecorder(recorder, config.targets().values().stream().filter(TargetConfig::record)
                .map(TargetConfig::name).collect(Collectors.toSet()));
        WebRtcConfig w = config.webrtc();
        webrtc = WebRtcEndpoint.startOnOwnLoop(WebRtcEndpointOptions.on(w.addresses())
                .withPorts(w.port(), w.tcp() ? w.port() : -1)
                .withHandshakeTimeout(w.handshakeTimeout())
                .withPeerFilter(w::allowsPeer), config.media().realtimePriority(), transport);
        warmUpDtls(webrtc.certificate());
        long answering = webrtc.warmUpAnswers(OFFER_WARM_UP_ROUNDS);
        log.info("Offer answering warmed up: {} answers in {} ms", OFFER_WARM_UP_ROUNDS, answering / 1_000_000);
        warmUpMedia();
        // SIP after the warm-ups: a node that takes calls is ready, and its calls should not run on cold code.
        sip.start();
        metrics.bindSipLanes(sip::udpLaneStats, sip.udpLaneStats().lanes());
        voiceLegs = new WebRtcVoiceLegs(webrtc, OPUS);
        WebRtcEndpoint endpoint = webrtc;
        metrics.bindWebRtc(endpoint::stats, endpoint::legCount);
        http.start();
    }

    private static NettyTransport chooseTransport(WarmlineConfig config) {
        try {
            return TransportChoice.choose(config.media());
        } catch (io.warmline.config.ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The Netty transport of every loop and socket of this node. */
    public NettyTransport transport() {
        return transport;
    }

    /**
     * A few in-memory DTLS handshakes before the first browser: the first handshake of a fresh process loads and
     * interprets BouncyCastle, which made the first legs take hundreds of milliseconds more than the next ones.
     */
    private static void warmUpDtls(DtlsCertificate certificate) {
        try {
            DtlsWarmUp.run(certificate, DTLS_WARM_UP_ROUNDS, Duration.ofSeconds(10));
        } catch (DtlsHandshakeException e) {
            log.warn("DTLS warm-up failed ({}); the first WebRTC legs will be slower", e.reason(), e);
        }
    }

    /**
     * Self-calls through the WebRTC port, a bridge and a PCMU leg for {@code media.warm-up-seconds}, then a wait for
     * the compilers, before the HTTP API opens; the port's counters then start from zero.
     */
    private void warmUpMedia() throws InterruptedException {
        int seconds = config.media().warmUpSeconds();
        if (seconds == 0) {
            return;
        }
        MediaWarmUp.Result r;
        try {
            r = MediaWarmUp.run(new MediaWarmUp.Settings(MEDIA_WARM_UP_LEGS, Duration.ofSeconds(seconds),
                    COMPILER_QUIET, COMPILER_CAP), webrtc, callLoops, ports, OPUS, MIX_RATE, NanoClock.SYSTEM);
        } catch (RuntimeException e) {
            log.warn("Media warm-up failed ({}); the first calls run on code the JIT has not compiled yet",
                    e.toString(), e);
            return;
        } finally {
            webrtc.restartStats();
        }
        warmUp = r;
        log.info("Media warmed up: {} self-calls ({} connected), {} ticks, {} packets to the node and {} back, "
                        + "{} echoed on PCMU, media {} ms and {} ms more until the compilers were idle ({}), {} ms of "
                        + "compile time", r.legs(), r.connected(), r.ticks(), r.packetsToNode(), r.packetsFromNode(),
                r.echoed(), r.mediaMillis(), r.compilerWaitMillis(),
                r.compilerIdle() ? "idle" : "still busy at the cap", r.compileMillis());
    }

    /** What the media warm-up at start did; null when it was off or has not run. */
    public MediaWarmUp.Result warmUpResult() {
        return warmUp;
    }

    /** A conversation ID names a carrier call or a WebRTC conversation: the API records either. */
    private Recordings recordings() {
        return new Recordings() {
            @Override
            public CompletionStage<RecordingView> start(String conversationId, RecordingMode mode) {
                CompletionStage<RecordingView> call = router.startRecording(conversationId, mode);
                return call != null ? call : conversations.startRecording(conversationId, mode);
            }

            @Override
            public CompletionStage<RecordingView> stop(String conversationId) {
                CompletionStage<RecordingView> call = router.stopRecording(conversationId);
                return call != null ? call : conversations.stopRecording(conversationId);
            }
        };
    }

    /** Every configured target with its SIP trunk and that trunk's codecs: all an escalation may dial. */
    private static Map<String, EscalationDialer.Target> dialTargets(WarmlineConfig config, CallRouter router) {
        Map<String, EscalationDialer.Target> targets = new LinkedHashMap<>();
        for (TargetConfig t : config.targets().values()) {
            TrunkConfig trunk = config.trunks().get(t.trunk());
            targets.put(t.name(), new EscalationDialer.Target(t.name(), router.trunk(t.trunk()), t.number(),
                    t.codecs() != null ? t.codecs() : trunk.codecs(), t.dtmf(), t.dtmfModeWith(trunk),
                    trunk.infoContentType(), t.dtmfDelay()));
        }
        return targets;
    }

    public String describeEndpoints() {
        String sipPoints = config.sip().listen().stream()
                .map(p -> p.transport().name().toLowerCase() + ":" + p.address())
                .collect(Collectors.joining(","));
        return "sip=" + sipPoints + " http=" + config.http().listen() + " rtp=" + config.media().rtpPortMin() + "-"
                + config.media().rtpPortMax() + " advertised=" + config.node().advertisedAddress()
                + " trunks=" + config.trunks().size() + " routes=" + config.routes().size()
                + " webrtc=" + config.webrtc().addresses().stream().map(a -> a.getHostAddress())
                        .collect(Collectors.joining(",")) + ":" + config.webrtc().port()
                + (config.webrtc().tcp() ? "/udp+tcp" : "/udp");
    }

    /** Stops taking calls, lets current calls run up to the drain time, ends the rest with BYE, then stops. */
    public int drainAndClose() {
        Duration drain = config.node().drainTime();
        log.info("Draining: new calls refused, {} active, {} conversations, waiting up to {}", router.activeCalls(),
                conversations.activeConversations(), drain);
        long deadline = System.nanoTime() + drain.toNanos();
        router.stopAccepting();
        sip.stopAccepting();
        conversations.stopAccepting();
        boolean drained = router.awaitNoCalls(drain)
                && conversations.awaitNone(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (!drained) {
            log.info("Drain time over: ending {} calls and {} conversations", router.activeCalls(),
                    conversations.activeConversations());
            router.hangupAll();
            conversations.endAll("node-drained", HANGUP_GRACE);
            router.awaitNoCalls(HANGUP_GRACE);
        }
        close();
        log.info("Stopped");
        return 0;
    }

    @Override
    public void close() {
        http.close();
        conversations.endAll("node-stopped", HANGUP_GRACE);
        if (webrtc != null) {
            webrtc.close();
        }
        sip.close();
        callLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        // After the loops: every recording has queued its last second and its close.
        recorder.close();
    }

    /** Media sockets bind where signalling listens when that is one address; else on every address. */
    private static InetAddress mediaBindAddress(WarmlineConfig config) {
        try {
            for (ListenPoint p : config.sip().listen()) {
                InetAddress a = InetAddress.getByName(p.address().host());
                if (!a.isAnyLocalAddress()) {
                    return a;
                }
            }
            return InetAddress.getByName("0.0.0.0");
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve a SIP listen address: " + e.getMessage(), e);
        }
    }
}
