package io.warmline.webrtc.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.RtpEndpoint;
import io.warmline.webrtc.WebRtcEndpoint;
import io.warmline.webrtc.WebRtcEndpointOptions;
import io.warmline.webrtc.WebRtcEndpointStats;
import io.warmline.webrtc.WebRtcLeg;
import io.warmline.webrtc.WebRtcLegState;
import io.warmline.webrtc.dtls.DtlsCertificate;
import io.warmline.webrtc.sdp.IceCandidate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's browser side against a real port on loopback: it connects with STUN and DTLS, its SRTP reaches the
 * leg, the leg's SRTP and SRTCP reach it, and after {@link WebRtcEndpoint#restartStats()} the port counts nothing of
 * it.
 */
class WarmUpPeerTest {

    @Test
    void connectsExchangesSrtpBothWaysAndIsForgottenByTheCounters() throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(2);
        ExecutorService dtls = Executors.newSingleThreadExecutor();
        WebRtcEndpoint endpoint = WebRtcEndpoint.start(group,
                WebRtcEndpointOptions.on(List.of(InetAddress.getLoopbackAddress())));
        try {
            EventLoop legLoop = group.next();
            EventLoop peerLoop = group.next();
            WarmUpPeer peer = WarmUpPeer.open(peerLoop, NanoClock.SYSTEM, dtls, DtlsCertificate.generate());
            AtomicInteger received = new AtomicInteger();
            CountDownLatch tenPackets = new CountDownLatch(10);
            WebRtcLeg leg = endpoint.accept(peer.offer(), legLoop, null);
            legLoop.submit(() -> leg.setListener(new RtpEndpoint.Listener() {
                @Override
                public void onRtp(RtpEndpoint e, ByteBuf packet) {
                    packet.release();
                    received.incrementAndGet();
                    tenPackets.countDown();
                }
            })).sync();
            IceCandidate c = endpoint.candidates().get(0);
            CompletableFuture<Void> connected = peerLoop.submit(() -> peer.connect(
                    new InetSocketAddress(c.address(), c.port()), leg.localIce(), endpoint.certificate().fingerprint()))
                    .get(5, TimeUnit.SECONDS);
            byte[] opus = {(byte) 0xF8, (byte) 0xFF, (byte) 0xFE};
            var ticks = peerLoop.scheduleAtFixedRate(() -> peer.tick(System.nanoTime(), opus, opus.length), 0, 20,
                    TimeUnit.MILLISECONDS);
            connected.get(10, TimeUnit.SECONDS);
            assertTrue(tenPackets.await(10, TimeUnit.SECONDS), "the leg got the peer's SRTP");
            assertEquals(WebRtcLegState.CONNECTED, leg.state());
            for (int i = 0; i < 10; i++) {
                legLoop.submit(() -> {
                    ByteBuf rtp = io.netty.buffer.Unpooled.buffer(32);
                    rtp.writeByte(0x80).writeByte(111).writeShort(0).writeInt(0).writeInt((int) leg.localSsrc());
                    rtp.writeBytes(opus);
                    leg.send(rtp);
                }).sync();
            }
            CompletableFuture<Void> peerGotOne = new CompletableFuture<>();
            var watch = peerLoop.scheduleAtFixedRate(() -> {
                if (peer.packetsReceived() > 0) {
                    peerGotOne.complete(null);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            peerGotOne.get(10, TimeUnit.SECONDS);
            watch.cancel(false);
            assertEquals(0L, peerLoop.submit(peer::dropped).get());
            ticks.cancel(false);
            peerLoop.submit(peer::close).sync();
            leg.close();
            legLoop.submit(() -> { }).sync();
            assertEquals(0, endpoint.legCount());
            assertTrue(endpoint.stats().legsConnected() >= 1);
            endpoint.restartStats();
            WebRtcEndpointStats after = endpoint.stats();
            assertEquals(0, after.legsAccepted());
            assertEquals(0, after.legsConnected());
            assertEquals(0, after.handshakes());
            assertEquals(0, after.handshakeMaxNanos());
        } finally {
            endpoint.close();
            dtls.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
