package io.warmline.webrtc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.onvoid.webrtc.RTCStatsType;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.play.ToneGenerator;
import io.warmline.media.play.ToneSpec;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.RtcpStats;
import io.warmline.webrtc.LegEndReason;
import io.warmline.webrtc.WebRtcEndpoint;
import io.warmline.webrtc.WebRtcEndpointOptions;
import io.warmline.webrtc.WebRtcEndpointStats;
import io.warmline.webrtc.WebRtcLeg;
import io.warmline.webrtc.WebRtcLegState;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libwebrtc (the engine inside Chrome, through webrtc-java) against Warmline's WebRTC endpoint on loopback: the
 * libwebrtc offer is answered by {@link WebRtcEndpoint#accept}, ICE, DTLS and SRTP connect, and the leg is terminated
 * by a {@link MediaBridge} (Opus decode, mix, encode). libwebrtc sends 1000 Hz that Warmline detects with Goertzel on
 * the decoded audio; Warmline plays 600 Hz that libwebrtc's received track carries. It runs inside the test's network
 * namespace ({@link TestNamespace}): the endpoint admits only loopback and the namespace's range, and every source it
 * saw must be one of those, libwebrtc's checks coming from the namespace's address.
 */
@Tag(TestNamespace.TAG)
class WebRtcEndpointPeerTest {

    private static final Logger log = LoggerFactory.getLogger(WebRtcEndpointPeerTest.class);
    private static final Duration T = Duration.ofSeconds(10);

    private static NioEventLoopGroup group;
    private static WebRtcEndpoint endpoint;
    private static TestNamespace namespace;
    /** Every source address the endpoint's peer filter was asked about. */
    private static final Set<InetAddress> sources = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("warmline.skipPeerTests"), "peer tests skipped");
        namespace = TestNamespace.require();
        group = new NioEventLoopGroup(2);
        List<InetAddress> addresses = new ArrayList<>(List.of(InetAddress.getByName("127.0.0.1")));
        endpoint = WebRtcEndpoint.start(group, WebRtcEndpointOptions.on(addresses).withPeerFilter(source -> {
            sources.add(source);
            return namespace.contains(source);
        }));
    }

    @AfterAll
    static void stop() {
        if (endpoint != null) {
            endpoint.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Counts the decoded 8 kHz frames of the browser's leg in which 1000 Hz dominates. */
    static final class ToneTap implements io.warmline.media.bridge.PcmTap {
        final AtomicInteger frames = new AtomicInteger();
        final AtomicInteger toneFrames = new AtomicInteger();
        final CompletableFuture<Void> heard = new CompletableFuture<>();

        @Override
        public void onFrame(short[] pcm, int offset, int length, long nowNanos) {
            frames.incrementAndGet();
            if (Goertzel.toneRatio(pcm, offset, length, 8000, 1000) > 0.5 && Goertzel.energy(pcm, offset, length) > 1e5
                    && toneFrames.incrementAndGet() >= 25) {
                heard.complete(null);
            }
        }
    }

    /** Waits up to 20 s (a loaded 2-core machine is slow to start audio), failing with what was seen. */
    private static void awaitOrExplain(CompletableFuture<Void> f, Supplier<String> seen)
            throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(seen.get(), e);
        }
    }

    /**
     * Checks {@code probe} every 200 ms on {@code on} until it gives a value, or fails after 30 s with what it saw
     * last: our first SR goes out within about 3 s of connecting and libwebrtc reports every 2.5-7.5 s (RFC 3550
     * §6.2), so a round-trip time takes up to 10 s, more on a loaded machine.
     */
    private static <T> T awaitOn(ScheduledExecutorService on, Supplier<T> probe,
            Predicate<T> done) throws Exception {
        CompletableFuture<T> found = new CompletableFuture<>();
        AtomicReference<T> last = new AtomicReference<>();
        var task = on.scheduleAtFixedRate(() -> {
            T v = probe.get();
            last.set(v);
            if (done.test(v)) {
                found.complete(v);
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        try {
            return found.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not within 30 s; last seen: " + last.get(), e);
        } finally {
            task.cancel(false);
        }
    }

    @Test
    void libwebrtcConnectsAndAudioFlowsBothWays() throws Exception {
        EventLoop loop = group.next();
        CompletableFuture<Void> connected = new CompletableFuture<>();
        CompletableFuture<LegEndReason> ended = new CompletableFuture<>();
        try (LibWebRtcPeer browser = new LibWebRtcPeer(1000, 600)) {
            long posted = System.nanoTime();
            String offer = browser.createOffer(T);
            WebRtcLeg leg = loop.submit(() -> endpoint.accept(offer, loop, new WebRtcLeg.Events() {
                @Override
                public void onConnected(WebRtcLeg l) {
                    connected.complete(null);
                }

                @Override
                public void onEnded(WebRtcLeg l, LegEndReason reason) {
                    ended.complete(reason);
                }
            })).get(5, TimeUnit.SECONDS);
            browser.applyAnswer(leg.answerSdp(), T);

            ToneTap tap = new ToneTap();
            AtomicReference<BridgeLeg> bridgeLeg =
                    new AtomicReference<>();
            MediaBridge bridge = loop.submit(() -> {
                MediaBridge b = MediaBridge.start(loop, NanoClock.SYSTEM, 16000);
                BridgeLeg bl = b.addLeg("browser", leg, leg.legCodec());
                bridgeLeg.set(bl);
                bl.addDecodedTap(tap);
                b.addSource("tone", new ToneGenerator(new ToneSpec(600, 0, -12, 60_000, 0), 16000));
                b.setMatrix(HearingMatrix.builder().hears("browser", "tone").build());
                return b;
            }).get(5, TimeUnit.SECONDS);
            try {
                connected.get(10, TimeUnit.SECONDS);
                long handshake = System.nanoTime() - posted;
                browser.connected().get(10, TimeUnit.SECONDS);
                assertEquals(WebRtcLegState.CONNECTED, leg.state());
                log.info("libwebrtc leg connected: offer created to DTLS done {} ms (leg's own measure {} ms)",
                        handshake / 1_000_000, leg.handshakeNanos() / 1_000_000);
                browser.startSending();

                awaitOrExplain(tap.heard, () -> "Warmline heard 1000 Hz in " + tap.toneFrames + " of " + tap.frames
                        + " decoded frames; leg received " + leg.packetsReceived() + " packets; " + endpoint.stats());
                awaitOrExplain(browser.meter().heard(), () -> "libwebrtc heard 600 Hz in "
                        + browser.meter().toneFrames() + " of " + browser.meter().frames() + " frames; leg sent "
                        + leg.packetsSent() + " packets");
                Map<String, Object> stats = browser.inboundAudioStats(T);
                log.info("libwebrtc inbound audio: {}", stats);
                assertTrue(((Number) stats.get("packetsReceived")).longValue() > 25, stats.toString());
                assertTrue(((Number) stats.get("totalAudioEnergy")).doubleValue() > 0, stats.toString());
                assertTrue(leg.audioLevel() >= 0, "libwebrtc sends the ssrc-audio-level extension");
                assertTrue(leg.packetsReceived() > 25 && leg.packetsSent() > 25);
                assertTrue(ended.isDone() == false);

                // RTCP both ways over SRTCP (RFC 3550 §6.4): libwebrtc's receiver reports on our stream give the leg
                // a round-trip time and no loss; ours on its stream give libwebrtc the same
                RtcpStats rtcp = awaitOn(loop, leg::rtcpStats, r -> r != null && r.rttMillis() > 0);
                log.info("leg's RTCP: {}; quality {}", rtcp, bridgeLeg.get().stats().quality());
                assertTrue(rtcp.rttMillis() > 0 && rtcp.rttMillis() < 1000, rtcp.toString());
                assertEquals(0, rtcp.remoteFractionLost(), 0.0, rtcp.toString());
                assertEquals(0, rtcp.remoteCumulativeLost(), rtcp.toString());
                assertEquals(0, rtcp.malformed(), rtcp.toString());
                assertTrue(rtcp.reportsSent() >= 1 && rtcp.expected() > 25, rtcp.toString());
                var statsPoller = Executors.newSingleThreadScheduledExecutor();
                Map<String, Object> remoteInbound;
                try {
                    remoteInbound = awaitOn(statsPoller, () -> {
                        try {
                            return browser.audioStats(RTCStatsType.REMOTE_INBOUND_RTP, T);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, m -> m.get("roundTripTime") instanceof Number n && n.doubleValue() > 0);
                } finally {
                    statsPoller.shutdownNow();
                }
                log.info("libwebrtc's view of our reports on its stream: {}", remoteInbound);
                assertEquals(0, ((Number) remoteInbound.get("packetsLost")).longValue(), remoteInbound.toString());
                assertTrue(((Number) remoteInbound.get("roundTripTime")).doubleValue() > 0, remoteInbound.toString());

                WebRtcEndpointStats s = endpoint.stats();
                assertEquals(0, s.srtpAuthFailed());
                log.info("sources seen by the endpoint: {} (namespace {})", sources, namespace.cidr());
                assertTrue(sources.contains(namespace.address()), "libwebrtc's checks come from the namespace's "
                        + namespace.address() + ": " + sources);
                assertTrue(sources.stream().allMatch(namespace::contains), "every source is loopback or in "
                        + namespace.cidr() + ": " + sources);
                assertEquals(0, s.peersRefused(), s.toString());
                assertTrue(s.handshakes() >= 1);
            } finally {
                loop.submit(bridge::close).get(5, TimeUnit.SECONDS);
                leg.close();
            }
        }
    }
}
