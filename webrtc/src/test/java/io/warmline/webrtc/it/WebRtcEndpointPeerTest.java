package io.warmline.webrtc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.play.ToneGenerator;
import io.warmline.media.play.ToneSpec;
import io.warmline.media.time.NanoClock;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
    private static void awaitOrExplain(CompletableFuture<Void> f, java.util.function.Supplier<String> seen)
            throws Exception {
        try {
            f.get(20, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(seen.get(), e);
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
            MediaBridge bridge = loop.submit(() -> {
                MediaBridge b = MediaBridge.start(loop, NanoClock.SYSTEM, 16000);
                BridgeLeg bl = b.addLeg("browser", leg, leg.legCodec());
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
