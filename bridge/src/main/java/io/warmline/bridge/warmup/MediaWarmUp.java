package io.warmline.bridge.warmup;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.leg.LegDtmf;
import io.warmline.dtmf.leg.LegDtmfSettings;
import io.warmline.dtmf.rfc4733.TelephoneEventFormat;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceEncoder;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.MediaLeg;
import io.warmline.media.transport.MediaLegOptions;
import io.warmline.media.transport.NettyTransport;
import io.warmline.media.transport.RtpPortAllocator;
import io.warmline.webrtc.WebRtcEndpoint;
import io.warmline.webrtc.WebRtcLeg;
import io.warmline.webrtc.dtls.DtlsCertificate;
import io.warmline.webrtc.sdp.IceCandidate;
import io.warmline.webrtc.warmup.WarmUpPeer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the node's real media path before it says it is ready, so that the JIT has compiled it (to C2) before the
 * first calls rather than during them: a fresh node under load otherwise runs its per-packet and codec code
 * C1-compiled for a minute while the C2 thread waits for a core (docs/performance.md, "Media warm-up at start").
 *
 * <p>Each of {@link Settings#legs()} self-calls is a WebRTC leg accepted on the node's own WebRTC port, bridged in a
 * {@link MediaBridge} on a call loop to a PCMU {@link MediaLeg} from the node's RTP port range. The WebRTC leg's far
 * end is a {@link WarmUpPeer} (STUN, DTLS client, SRTP, Opus, RTCP); the PCMU leg's is an {@link RtpEcho}; both on
 * loopback on a loop of the warm-up's own. Legs are not conversations: no API, no SIP, no trunk, no metrics of
 * calls. After {@link Settings#duration()} of 20 ms ticks the media goes on until the compilers have been idle for
 * {@link Settings#compilerQuiet()} (nothing queued, nothing finished), at most {@link Settings#compilerCap()}; then
 * everything is closed.
 *
 * <p>Call from the start-up thread, not from an event loop; it blocks for about the duration plus the compile wait.
 */
public final class MediaWarmUp {

    /** At most this many self-calls. */
    public static final int MAX_LEGS = 32;

    private static final Logger log = LoggerFactory.getLogger(MediaWarmUp.class);
    private static final long TICK_NANOS = 20_000_000L;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final int TELEPHONE_EVENT_PT = 101;
    /** A browser leg's keys as a conversation sets them: RFC 4733 only, no in-band detection. */
    private static final LegDtmfSettings BROWSER_KEYS = new LegDtmfSettings(LegDtmfSettings.STANDARD.mode(),
            LegDtmfSettings.STANDARD.defaults(), LegDtmfSettings.STANDARD.volume(), false,
            LegDtmfSettings.STANDARD.limits());

    /**
     * @param legs self-calls at once, 1..{@value #MAX_LEGS}
     * @param duration how long they exchange media (at 20 ms ticks)
     * @param compilerQuiet how long the compilers must stay idle after it to count as drained
     * @param compilerCap the longest wait for that
     */
    public record Settings(int legs, Duration duration, Duration compilerQuiet, Duration compilerCap) {
        public Settings {
            if (legs < 1 || legs > MAX_LEGS) {
                throw new IllegalArgumentException("legs must be 1.." + MAX_LEGS + ": " + legs);
            }
            Objects.requireNonNull(duration, "duration");
            Objects.requireNonNull(compilerQuiet, "compilerQuiet");
            Objects.requireNonNull(compilerCap, "compilerCap");
        }
    }

    /**
     * What a warm-up did.
     *
     * @param legs self-calls started
     * @param connected of those, the ones whose WebRTC leg completed ICE and DTLS
     * @param ticks 20 ms ticks the peers sent media
     * @param packetsToNode SRTP packets the peers sent
     * @param packetsFromNode SRTP packets the peers received and decrypted
     * @param echoed RTP packets echoed back to the PCMU legs
     * @param mediaMillis wall time from the start to the end of the set duration of media
     * @param compilerWaitMillis wall time then spent with media flowing until the compilers were idle, and closing
     * @param compilerIdle whether they went idle within the cap
     * @param compileMillis compiler time spent from start to end (all compiler threads), -1 if not reported
     */
    public record Result(int legs, int connected, long ticks, long packetsToNode, long packetsFromNode, long echoed,
            long mediaMillis, long compilerWaitMillis, boolean compilerIdle, long compileMillis) {
    }

    private MediaWarmUp() {
    }

    /**
     * Runs the warm-up on {@code endpoint} and {@code callLoops} with ports from {@code ports}; returns when every
     * leg, socket and timer it made is closed. A failure to connect or set up a leg is logged and the rest runs; the
     * node works either way.
     *
     * @param opus the node's Opus settings toward browsers
     * @param mixRate the node's conversation mix rate
     */
    public static Result run(Settings settings, WebRtcEndpoint endpoint, EventLoopGroup callLoops,
            RtpPortAllocator ports, OpusConfig opus, int mixRate, NanoClock clock) throws InterruptedException {
        CompilerQueue compiler = new CompilerQueue();
        long compileBefore = compiler.totalCompileMillis();
        long start = clock.nanoTime();
        InetSocketAddress target = loopbackTarget(endpoint.candidates());
        EventLoopGroup peerGroup = NettyTransport.NIO.newGroup(1, new DefaultThreadFactory("warm-up-peer", true));
        AtomicInteger dtlsThreads = new AtomicInteger();
        ExecutorService dtlsPool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "warm-up-dtls-" + dtlsThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        EventLoop peerLoop = peerGroup.next();
        List<SelfCall> calls = new ArrayList<>();
        Ticker ticker = new Ticker(opus);
        int connected = 0;
        long mediaEnd = start;
        boolean idle = false;
        try {
            DtlsCertificate certificate = DtlsCertificate.generate();
            List<CompletableFuture<Void>> handshakes = new ArrayList<>();
            for (int i = 0; i < settings.legs(); i++) {
                SelfCall call = new SelfCall(i, callLoops.next());
                calls.add(call);
                try {
                    handshakes.add(call.open(endpoint, peerLoop, dtlsPool, certificate, target, ports, opus, mixRate,
                            clock));
                } catch (Exception e) {
                    log.warn("Media warm-up: self-call {} could not be set up: {}", i, e.toString());
                }
            }
            ticker.peers = calls.stream().filter(c -> c.peer != null).map(c -> c.peer).toList();
            ticker.future = peerLoop.scheduleAtFixedRate(() -> ticker.tick(clock.nanoTime()), 0, TICK_NANOS,
                    TimeUnit.NANOSECONDS);
            long connectDeadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
            for (CompletableFuture<Void> h : handshakes) {
                try {
                    h.get(Math.max(0, connectDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    connected++;
                } catch (java.util.concurrent.ExecutionException | TimeoutException
                        | java.util.concurrent.CancellationException e) {
                    log.debug("Media warm-up: a self-call did not connect", e);
                }
            }
            if (connected > 0) {
                new CompletableFuture<Void>().completeOnTimeout(null, settings.duration().toMillis(),
                        TimeUnit.MILLISECONDS).join();
                // The media keeps flowing while the compilers work: a method reaches C2 only by being called
                // while its thresholds (scaled up by the length of the C2 queue) are crossed.
                mediaEnd = clock.nanoTime();
                idle = compiler.awaitIdle(settings.compilerQuiet(), settings.compilerCap());
            } else {
                log.warn("Media warm-up: no self-call connected to the WebRTC port {} (is loopback refused by "
                        + "webrtc.allowed-peers?); skipped", target);
                mediaEnd = clock.nanoTime();
            }
        } finally {
            close(ticker, calls, peerLoop);
            peerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_TIMEOUT.toMillis());
            dtlsPool.shutdownNow();
        }
        long end = clock.nanoTime();
        long compileAfter = compiler.totalCompileMillis();
        long echoed = calls.stream().mapToLong(c -> c.echoedAtClose).sum();
        return new Result(calls.size(), connected, ticker.ticks, ticker.sent(), ticker.received(), echoed,
                (mediaEnd - start) / 1_000_000, (end - mediaEnd) / 1_000_000, idle,
                compileBefore < 0 || compileAfter < 0 ? -1 : compileAfter - compileBefore);
    }

    /** Our first IPv4 UDP candidate, or IPv6 without one; the wildcard becomes the loopback address. */
    static InetSocketAddress loopbackTarget(List<IceCandidate> candidates) {
        IceCandidate chosen = null;
        for (IceCandidate c : candidates) {
            if (c.isUdp() && c.ipAddress().isPresent()
                    && (chosen == null || !(c.ipAddress().get() instanceof java.net.Inet6Address)
                            && chosen.ipAddress().get() instanceof java.net.Inet6Address)) {
                chosen = c;
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("the WebRTC port has no UDP candidate");
        }
        InetAddress address = chosen.ipAddress().get();
        if (address.isAnyLocalAddress()) {
            address = InetAddress.getLoopbackAddress();
        }
        return new InetSocketAddress(address, chosen.port());
    }

    private static void close(Ticker ticker, List<SelfCall> calls, EventLoop peerLoop) {
        CompletableFuture<Void> peersClosed = new CompletableFuture<>();
        try {
            peerLoop.execute(() -> {
                if (ticker.future != null) {
                    ticker.future.cancel(false);
                }
                ticker.closing = true;
                for (SelfCall c : calls) {
                    c.closePeerSide();
                }
                peersClosed.complete(null);
            });
            peersClosed.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Media warm-up: closing the peers failed: {}", e.toString());
        }
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (SelfCall c : calls) {
            closed.add(c.closeNodeSide());
        }
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("Media warm-up: closing the legs failed: {}", e.toString());
        }
    }

    /** Encodes one frame per tick (shared by all peers: the node's own encoders are what must get hot) and sends. */
    private static final class Ticker {
        private final OpusVoiceEncoder encoder;
        private final short[] pcm;
        private final byte[] packet = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        private List<WarmUpPeer> peers = List.of();
        private volatile ScheduledFuture<?> future;
        private boolean closing;
        private volatile long ticks;
        private long phase;

        Ticker(OpusConfig opus) {
            this.encoder = new OpusVoiceEncoder(new OpusConfig(opus.sampleRate(), 20, opus.bitrate(),
                    opus.complexity(), opus.inbandFec(), opus.expectedLossPercent(), false));
            this.pcm = new short[encoder.frameSamples()];
        }

        void tick(long now) {
            if (closing) {
                return;
            }
            speechLike();
            int length = encoder.encode(pcm, 0, packet, 0, packet.length);
            for (WarmUpPeer p : peers) {
                p.tick(now, packet, Math.max(length, 0));
            }
            ticks++;
        }

        /** Two tones whose level and pitch change every frame, so the encoder codes voiced speech, not silence. */
        private void speechLike() {
            int rate = encoder.config().sampleRate();
            double envelope = 0.2 + 0.8 * Math.abs(Math.sin(ticks * 0.15));
            double f1 = 180 + 60 * Math.sin(ticks * 0.05);
            for (int i = 0; i < pcm.length; i++) {
                double t = (phase + i) / (double) rate;
                pcm[i] = (short) (envelope * (6000 * Math.sin(2 * Math.PI * f1 * t)
                        + 3000 * Math.sin(2 * Math.PI * 3.1 * f1 * t)));
            }
            phase += pcm.length;
        }

        long sent() {
            return peers.stream().mapToLong(WarmUpPeer::packetsSent).sum();
        }

        long received() {
            return peers.stream().mapToLong(WarmUpPeer::packetsReceived).sum();
        }
    }

    /** One WebRTC leg bridged to one PCMU leg, and their far ends. */
    private static final class SelfCall {
        private final int index;
        private final EventLoop loop;
        private WarmUpPeer peer;
        private RtpEcho echo;
        private WebRtcLeg leg;
        private MediaLeg media;
        private MediaBridge bridge;
        private long echoedAtClose;

        SelfCall(int index, EventLoop loop) {
            this.index = index;
            this.loop = loop;
        }

        CompletableFuture<Void> open(WebRtcEndpoint endpoint, EventLoop peerLoop, ExecutorService dtlsPool,
                DtlsCertificate certificate, InetSocketAddress target, RtpPortAllocator ports, OpusConfig opus,
                int mixRate, NanoClock clock) throws Exception {
            peer = WarmUpPeer.open(peerLoop, clock, dtlsPool, certificate);
            echo = RtpEcho.open(peerLoop, 0x5EED_0000 + index);
            leg = endpoint.accept(peer.offer(), loop, null);
            media = MediaLeg.open(loop, InetAddress.getLoopbackAddress(), ports, new MediaLegOptions(
                    Duration.ofMinutes(1), Duration.ofSeconds(2), clock, "warm-up-" + index));
            media.setFormat(0, "PCMU", 8000, TELEPHONE_EVENT_PT);
            media.setRemote(echo.address(), echo.address());
            LegCodec webrtcCodec = leg.legCodec(opus);
            CompletableFuture<Void> joined = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    bridge = MediaBridge.start(loop, clock, mixRate);
                    keys("browser", bridge.addLeg("browser", leg, webrtcCodec), BROWSER_KEYS);
                    keys("line", bridge.addLeg("line", media, LegCodec.pcmu(TELEPHONE_EVENT_PT)),
                            LegDtmfSettings.STANDARD);
                    bridge.setMatrix(HearingMatrix.builder().conference("browser", "line").build());
                    joined.complete(null);
                } catch (RuntimeException e) {
                    joined.completeExceptionally(e);
                }
            });
            joined.get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<Void> connected = new CompletableFuture<>();
            peerLoop.execute(() -> peer.connect(target, leg.localIce(), endpoint.certificate().fingerprint())
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            connected.completeExceptionally(e);
                        } else {
                            connected.complete(null);
                        }
                    }));
            return connected;
        }

        /**
         * The DTMF hooks a conversation puts on a leg: telephone-event split before the jitter buffer, the key
         * injector consulted every tick, and where {@code settings} say so in-band detection on every decoded frame
         * (a human's SIP leg). No key is pressed; nothing heard is reported.
         */
        private static void keys(String id, BridgeLeg leg, LegDtmfSettings settings) {
            LegDtmf dtmf = new LegDtmf(id, settings, leg.telephoneEventPayloadType(), leg.clockRate(),
                    TelephoneEventFormat.received(leg.codecs()), heard -> { }, null);
            leg.setTelephoneEventHandler(dtmf::onTelephoneEvent);
            if (settings.detectInband()) {
                leg.addDecodedTap(dtmf::onFrame);
            }
            if (dtmf.sendMode() == DtmfMode.RFC4733) {
                leg.setPacketInjector(dtmf::inject);
            }
        }

        /** On the peer loop. */
        void closePeerSide() {
            if (peer != null) {
                peer.close();
            }
            if (echo != null) {
                echoedAtClose = echo.echoed();
                echo.close();
            }
        }

        CompletableFuture<Void> closeNodeSide() {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                loop.execute(() -> {
                    if (bridge != null) {
                        bridge.close();
                    }
                    if (media != null) {
                        media.close();
                    }
                    if (leg != null) {
                        leg.close();
                    }
                    // after the closes above, which hop onto this loop too
                    loop.execute(() -> done.complete(null));
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                done.complete(null);
            }
            return done;
        }
    }
}
