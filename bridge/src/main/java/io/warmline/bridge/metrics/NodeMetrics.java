package io.warmline.bridge.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoop;
import io.prometheus.metrics.core.metrics.Histogram;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.record.RecordingWriterStats;
import io.warmline.sip.UdpLaneStats;
import io.warmline.webrtc.WebRtcEndpointStats;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's meters, rendered as the Prometheus text exposition for {@code GET /metrics}. Labels come from closed
 * sets only (trunk and target names from the config file, {@link CallOutcome}, {@link LegKind}, fixed reasons):
 * never a call's, conversation's or leg's id, so the number of series stays bounded.
 *
 * <p>Most meters read counters the components keep anyway ({@link WebRtcEndpointStats}, the SIP stack's counts, the
 * bridges' {@code BridgeStats}); the media ones are sampled on the media loops when a scrape asks
 * ({@link #scrape(Executor)}), so the media path carries no second bookkeeping. Thread-safe.
 */
public final class NodeMetrics {
    /** The Prometheus text exposition format 0.0.4. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(1);
    /** G.107 Annex B bands (2.58 nearly all users dissatisfied ... 4.34 very satisfied) and the ends of the scale. */
    private static final double[] MOS_BUCKETS = {1.5, 2.0, 2.58, 3.1, 3.6, 4.03, 4.34, 4.5};
    private static final double[] LOSS_BUCKETS = {0.0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0};
    private static final double[] JITTER_BUCKETS = {1, 2, 5, 10, 20, 30, 50, 100, 200};
    private static final double[] RTT_BUCKETS = {5, 20, 50, 100, 150, 200, 300, 500, 1000};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MediaTotals media;
    private final Histogram loss;
    private final Histogram jitter;
    private final Histogram rtt;
    private final Histogram mos;
    /** Strong references to what function meters read (Micrometer holds them weakly). */
    private final java.util.List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final LongAdder noRoute = new LongAdder();
    private final LongAdder draining = new LongAdder();

    public NodeMetrics() {
        media = new MediaTotals(this::recordQuality, SAMPLE_TIMEOUT);
        // Micrometer's summaries round recorded values up to whole numbers before bucketing, which would put every
        // MOS and loss fraction in the wrong bucket: these four are the Prometheus client's own histograms, in the
        // same registry and scrape.
        loss = histogram("warmline_leg_loss_fraction",
                "Packets lost, late or discarded over those expected, at the end of each leg", LOSS_BUCKETS);
        jitter = histogram("warmline_leg_jitter_milliseconds",
                "RFC 3550 interarrival jitter at the end of each leg", JITTER_BUCKETS);
        rtt = histogram("warmline_leg_rtt_milliseconds",
                "RTCP round-trip time at the end of each leg that measured one", RTT_BUCKETS);
        mos = histogram("warmline_leg_mos",
                "E-model (simplified ITU-T G.107) MOS estimate at the end of each leg", MOS_BUCKETS);
        registerMediaMeters();
        sipRejections("no-route", noRoute::sum);
        sipRejections("draining", draining::sum);
    }

    /** The registry, for tests and further binders. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Samples the live media on its loops, then renders every meter on {@code renderOn} (never a media loop: the
     * text of a busy node takes a while to build).
     */
    public CompletionStage<String> scrape(Executor renderOn) {
        return media.refresh(renderOn).thenApply(p -> registry.scrape());
    }

    // ---- calls -------------------------------------------------------------------------------------------------

    /**
     * Gauges of live carrier calls and conversations; the call counters of every configured trunk start at 0 (so a
     * rate over them is defined before the first call).
     */
    public void bindCalls(Collection<String> trunks, IntSupplier activeCalls, IntSupplier activeConversations) {
        for (String trunk : trunks) {
            callsStarted(trunk);
            for (CallOutcome o : CallOutcome.values()) {
                callsEnded(trunk, o);
            }
        }
        held.add(activeCalls);
        held.add(activeConversations);
        Gauge.builder("warmline.calls.active", activeCalls, s -> s.getAsInt())
                .description("Carrier calls in progress (B2BUA calls, ringing or answered)").register(registry);
        Gauge.builder("warmline.conversations.active", activeConversations, s -> s.getAsInt())
                .description("Conversations with a live voice leg or escalation").register(registry);
    }

    /** A carrier call was routed to a target: it now dials the support line. */
    public void callStarted(String inboundTrunk) {
        callsStarted(inboundTrunk).increment();
    }

    public void callEnded(String inboundTrunk, CallOutcome outcome) {
        callsEnded(inboundTrunk, outcome).increment();
    }

    private Counter callsStarted(String trunk) {
        return Counter.builder("warmline.calls.started").description("Carrier calls routed to a target")
                .tag("trunk", trunk).register(registry);
    }

    private Counter callsEnded(String trunk, CallOutcome outcome) {
        return Counter.builder("warmline.calls.ended").description("Carrier calls ended, by outcome")
                .tags("trunk", trunk, "outcome", outcome.label()).register(registry);
    }

    /** An escalation reached its final state ({@code completed} or {@code failed}) for a configured target. */
    public void escalationEnded(String target, String finalState) {
        Counter.builder("warmline.escalations.ended").description("Escalations ended, by final state")
                .tags("target", target, "state", finalState).register(registry).increment();
    }

    /**
     * A re-INVITE from an escalation's support line, by outcome: {@code accepted}, {@code not-acceptable} (488: no
     * codec we offered, or one we cannot terminate), {@code bad-sdp} (400), {@code not-ready} (491: before the answer
     * or after the end).
     */
    public void escalationReinvite(String target, String outcome) {
        Counter.builder("warmline.escalations.reinvites").description("Re-INVITEs from support lines, by outcome")
                .tags("target", target, "outcome", outcome).register(registry).increment();
    }

    // ---- SIP ---------------------------------------------------------------------------------------------------

    /**
     * INVITEs and requests refused before a call existed, by reason: {@code acl} (trunk ACL or number check),
     * {@code limit} (maxCalls or draining, 503), {@code malformed} (unparseable or defective requests), and the
     * router's own {@code no-route} and {@code draining}.
     */
    public void bindSipRejections(LongSupplier acl, LongSupplier limit, LongSupplier malformed) {
        sipRejections("acl", acl);
        sipRejections("limit", limit);
        sipRejections("malformed", malformed);
    }

    private void sipRejections(String reason, LongSupplier count) {
        held.add(count);
        FunctionCounter.builder("warmline.sip.requests.rejected", count, s -> s.getAsLong())
                .description("SIP requests refused before a call existed, by reason").tag("reason", reason)
                .register(registry);
    }

    /**
     * The UDP listener's worker lanes (a datagram waits on the lane of its Call-ID until that lane's SIP worker takes
     * it): datagrams dropped by reason ({@code lane-full}, {@code stale}: waited longer than the congestion timeout),
     * each lane's depth now, the deepest any lane has been, a lane's capacity, and how long the workers hold each
     * datagram (a lane waits meanwhile: busy time, slow datagrams, the longest). {@code lanes} is the number of
     * lanes the started SIP service has; lane numbers are the label values.
     */
    public void bindSipLanes(Supplier<UdpLaneStats> stats, int lanes) {
        held.add(stats);
        FunctionCounter.builder("warmline.sip.udp.datagrams.dropped", stats, s -> s.get().fullDrops())
                .description("SIP datagrams dropped before a worker parsed them, by reason").tag("reason", "lane-full")
                .register(registry);
        FunctionCounter.builder("warmline.sip.udp.datagrams.dropped", stats, s -> s.get().staleDrops())
                .description("SIP datagrams dropped before a worker parsed them, by reason").tag("reason", "stale")
                .register(registry);
        for (int i = 0; i < lanes; i++) {
            int lane = i;
            Gauge.builder("warmline.sip.udp.lane.depth", stats, s -> {
                        UdpLaneStats now = s.get();
                        return lane < now.lanes() ? now.depths().get(lane) : 0;
                    })
                    .description("SIP datagrams waiting for their lane's worker now").tag("lane", Integer.toString(lane))
                    .register(registry);
        }
        Gauge.builder("warmline.sip.udp.lane.depth.peak", stats, s -> s.get().peakDepth())
                .description("The most SIP datagrams one lane has held at once since start").register(registry);
        Gauge.builder("warmline.sip.udp.lane.capacity", stats, s -> s.get().capacity())
                .description("SIP datagrams one lane holds; a full lane drops what arrives").register(registry);
        FunctionCounter.builder("warmline.sip.udp.datagrams.processed", stats, s -> s.get().processed())
                .description("SIP datagrams handed to a worker").register(registry);
        FunctionCounter.builder("warmline.sip.udp.worker.busy", stats, s -> s.get().busyNanos() / 1e9)
                .baseUnit("seconds").description("Time SIP workers spent on the datagrams they finished")
                .register(registry);
        FunctionCounter.builder("warmline.sip.udp.datagrams.slow", stats, s -> s.get().slow())
                .description("SIP datagrams a worker spent over 100 ms on, holding up its lane")
                .register(registry);
        Gauge.builder("warmline.sip.udp.datagram.processing.max", stats, s -> s.get().slowestNanos() / 1e9)
                .baseUnit("seconds").description("The longest a SIP worker spent on one datagram since start")
                .register(registry);
    }

    /** The router refused an INVITE: no route for the called number (404). */
    public void rejectedNoRoute() {
        noRoute.increment();
    }

    /** The router refused an INVITE while the node drains (503). */
    public void rejectedDraining() {
        draining.increment();
    }

    // ---- WebRTC ------------------------------------------------------------------------------------------------

    /**
     * The shared WebRTC port's meters, read from its thread-safe counters: live voice legs, handshakes (offer
     * accepted → DTLS done on a path the browser's checks validated) as a timer, and every rejection of issue 5's negative cases under one
     * counter with a {@code reason} label.
     */
    public void bindWebRtc(Supplier<WebRtcEndpointStats> stats, IntSupplier liveLegs) {
        held.add(stats);
        held.add(liveLegs);
        Gauge.builder("warmline.webrtc.legs.active", liveLegs, s -> s.getAsInt())
                .description("WebRTC voice legs answered and not ended").register(registry);
        webRtcCounter("warmline.webrtc.offers.refused", "Offers answered with a refusal", stats,
                WebRtcEndpointStats::offersRefused);
        webRtcCounter("warmline.webrtc.legs.connected", "Voice legs that reached connected", stats,
                WebRtcEndpointStats::legsConnected);
        FunctionTimer.builder("warmline.webrtc.handshake", stats, s -> s.get().handshakes(),
                        s -> s.get().handshakeTotalNanos(), TimeUnit.NANOSECONDS)
                .description("Offer accepted to DTLS done on a validated ICE path").register(registry);
        Gauge.builder("warmline.webrtc.handshake.max", stats, s -> s.get().handshakeMaxNanos() / 1e9)
                .baseUnit("seconds").description("The longest handshake since start").register(registry);
        rejection("unknown-ufrag", stats, WebRtcEndpointStats::stunUnknownUfrag);
        rejection("bad-integrity", stats, WebRtcEndpointStats::stunBadIntegrity);
        rejection("bad-stun-request", stats, WebRtcEndpointStats::stunBadRequests);
        rejection("fingerprint-mismatch", stats, WebRtcEndpointStats::fingerprintMismatches);
        // Fingerprint mismatches are among the failed handshakes; each is counted under its own reason only.
        rejection("dtls-failed", stats, s -> Math.max(0, s.dtlsFailures() - s.fingerprintMismatches()));
        rejection("srtp-auth", stats, WebRtcEndpointStats::srtpAuthFailed);
        rejection("srtp-replay", stats, WebRtcEndpointStats::srtpReplayed);
        rejection("peer-refused", stats, WebRtcEndpointStats::peersRefused);
        rejection("unknown-address", stats, s -> s.dtlsUnknownAddress() + s.mediaUnknownAddress());
        rejection("consent-expired", stats, WebRtcEndpointStats::consentLost);
        rejection("candidate-refused", stats, WebRtcEndpointStats::candidatesRefused);
        rejection("fragment-refused", stats, WebRtcEndpointStats::fragmentsRefused);
        webRtcCounter("warmline.webrtc.ice.restarts", "ICE restarts done (RFC 9725 §4.3.3)", stats,
                WebRtcEndpointStats::iceRestarts);
    }

    private void rejection(String reason, Supplier<WebRtcEndpointStats> stats,
            ToDoubleFunction<WebRtcEndpointStats> read) {
        FunctionCounter.builder("warmline.webrtc.rejections", stats, s -> read.applyAsDouble(s.get()))
                .description("WebRTC packets, handshakes and legs refused, by reason").tag("reason", reason)
                .register(registry);
    }

    private void webRtcCounter(String name, String description, Supplier<WebRtcEndpointStats> stats,
            ToDoubleFunction<WebRtcEndpointStats> read) {
        FunctionCounter.builder(name, stats, s -> read.applyAsDouble(s.get())).description(description)
                .register(registry);
    }

    // ---- recording ---------------------------------------------------------------------------------------------

    /**
     * The recording writer's counters: files created and refused, seconds written and dropped (the writer fell
     * behind), recordings stopped by reason, and seconds waiting for the writer now.
     */
    public void bindRecording(Supplier<RecordingWriterStats> stats) {
        held.add(stats);
        recordingCounter("warmline.recording.files", "Recording files created", stats,
                RecordingWriterStats::filesOpened);
        recordingCounter("warmline.recording.files.failed", "Recording files that could not be created", stats,
                RecordingWriterStats::filesFailed);
        recordingCounter("warmline.recording.seconds.written", "One-second buffers written and flushed", stats,
                RecordingWriterStats::chunksWritten);
        recordingCounter("warmline.recording.seconds.dropped", "One-second buffers dropped: the writer was behind",
                stats, RecordingWriterStats::chunksDropped);
        for (String reason : List.of("low-space", "max-duration", "write-error")) {
            FunctionCounter.builder("warmline.recording.stopped", stats, s -> switch (reason) {
                        case "low-space" -> s.get().stoppedLowSpace();
                        case "max-duration" -> s.get().stoppedMaxDuration();
                        default -> s.get().writeErrors();
                    })
                    .description("Recordings stopped before their call ended, by reason").tag("reason", reason)
                    .register(registry);
        }
        Gauge.builder("warmline.recording.queued", stats, s -> s.get().queuedChunks())
                .description("One-second buffers waiting for the recording writer").register(registry);
    }

    private void recordingCounter(String name, String description, Supplier<RecordingWriterStats> stats,
            ToDoubleFunction<RecordingWriterStats> read) {
        FunctionCounter.builder(name, stats, s -> read.applyAsDouble(s.get())).description(description)
                .register(registry);
    }

    // ---- media -------------------------------------------------------------------------------------------------

    /** Sums {@code bridge}'s counters into the media meters until its owner reports it closed. On any thread. */
    public TrackedBridge track(MediaBridge bridge) {
        return media.track(bridge);
    }

    /**
     * Reads a leg's quality and counters through {@code probe} (called on {@code loop} only) until its owner reports
     * it ended; its final sample then goes into the quality histograms.
     */
    public TrackedLeg track(LegKind kind, EventLoop loop, Supplier<LegSample> probe) {
        return media.track(kind, loop, probe);
    }

    private void registerMediaMeters() {
        bridgeCounter("warmline.media.ticks", "Mixer ticks run", MediaTotals.BridgeCounter.TICKS);
        bridgeCounter("warmline.media.ticks.skipped", "Ticks dropped after a stall rather than run in a burst",
                MediaTotals.BridgeCounter.SKIPPED_TICKS);
        bridgeCounter("warmline.media.ticks.late", "Ticks started more than 10 ms after their deadline",
                MediaTotals.BridgeCounter.LATE_TICKS);
        bridgeCounter("warmline.media.frames.due", "Output frames due, one per leg per tick",
                MediaTotals.BridgeCounter.FRAMES_DUE);
        bridgeCounter("warmline.media.frames.sent", "Output frames sent", MediaTotals.BridgeCounter.FRAMES_SENT);
        bridgeCounter("warmline.media.frames.late", "Output frames sent more than 10 ms late, or skipped",
                MediaTotals.BridgeCounter.FRAMES_LATE);
        bridgeCounter("warmline.media.encodes", "Frames encoded", MediaTotals.BridgeCounter.ENCODES);
        bridgeCounter("warmline.media.encodes.shared", "Frames sent with another leg's encode of the same mix",
                MediaTotals.BridgeCounter.SHARED_ENCODES);
        bridgeCounter("warmline.media.callback.errors", "Exceptions thrown by taps, hooks, sources and sinks",
                MediaTotals.BridgeCounter.CALLBACK_ERRORS);
        for (LegKind k : LegKind.values()) {
            legCounter("warmline.media.jitter.late", "Packets that reached the jitter buffer after their playout time",
                    k, MediaTotals.LegCounter.JITTER_LATE);
            legCounter("warmline.media.jitter.lost", "Packets the jitter buffer never received", k,
                    MediaTotals.LegCounter.JITTER_LOST);
            legCounter("warmline.media.jitter.discarded", "Buffered packets discarded (overflow, discontinuity)", k,
                    MediaTotals.LegCounter.JITTER_DISCARDED);
            legCounter("warmline.media.frames.concealed", "Frames filled by packet-loss concealment", k,
                    MediaTotals.LegCounter.CONCEALED);
            legCounter("warmline.media.packets.malformed", "RTP packets dropped as malformed", k,
                    MediaTotals.LegCounter.MALFORMED);
            Gauge.builder("warmline.media.legs.active", media, m -> m.published().liveLegs()[k.ordinal()])
                    .description("Media legs tracked now (terminated or relayed)").tag("kind", k.label())
                    .register(registry);
        }
        Gauge.builder("warmline.media.bridges.active", media, m -> m.published().liveBridges())
                .description("Mixing bridges running now").register(registry);
        Gauge.builder("warmline.media.tick.lateness.max", media, m -> m.published().maxTickLatenessMillis())
                .baseUnit("milliseconds").description("The most any live bridge's tick started after its deadline")
                .register(registry);
        Gauge.builder("warmline.legs.poor.quality", media, m -> m.published().poorLegs())
                .description("Live legs with media whose MOS estimate is below " + LegSample.POOR_MOS)
                .register(registry);
    }

    private void bridgeCounter(String name, String description, MediaTotals.BridgeCounter c) {
        FunctionCounter.builder(name, media, m -> m.published().bridge()[c.ordinal()]).description(description)
                .register(registry);
    }

    private void legCounter(String name, String description, LegKind kind, MediaTotals.LegCounter c) {
        FunctionCounter.builder(name, media, m -> m.published().leg()[kind.ordinal()][c.ordinal()])
                .description(description).tag("kind", kind.label()).register(registry);
    }

    private Histogram histogram(String name, String help, double[] bounds) {
        Histogram h = Histogram.builder().name(name).help(help).labelNames("kind").classicOnly()
                .classicUpperBounds(bounds).withoutExemplars().register(registry.getPrometheusRegistry());
        for (LegKind k : LegKind.values()) {
            h.initLabelValues(k.label());
        }
        return h;
    }

    private void recordQuality(LegSample s) {
        if (!s.hasMedia()) {
            return;
        }
        String kind = s.kind().label();
        loss.labelValues(kind).observe(s.lossFraction());
        jitter.labelValues(kind).observe(s.jitterMillis());
        if (!Double.isNaN(s.rttMillis())) {
            rtt.labelValues(kind).observe(s.rttMillis());
        }
        mos.labelValues(kind).observe(s.mos());
    }
}
