package io.warmline.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.warmline.media.transport.RtpEndpoint;
import io.warmline.webrtc.dtls.DtlsCertificate;
import io.warmline.webrtc.sdp.IceCandidate;
import io.warmline.webrtc.sdp.OfferRefusedException;
import io.warmline.webrtc.sdp.RefusalReason;
import io.warmline.webrtc.srtp.SrtpResult;
import io.warmline.webrtc.srtp.SrtpSession;
import io.warmline.webrtc.stun.StunMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shared port against a browser's side built from real STUN, DTLS and SRTP on loopback: a leg connects and carries
 * RTP both ways, and every attack the issue names is dropped, counted, and delivers nothing.
 */
class WebRtcEndpointTest {

    private static NioEventLoopGroup group;
    private static WebRtcEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        group = new NioEventLoopGroup(2);
        endpoint = WebRtcEndpoint.start(group, WebRtcEndpointOptions.on(List.of(InetAddress.getLoopbackAddress())));
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static InetSocketAddress udpAddress() {
        IceCandidate c = endpoint.candidates().get(0);
        return new InetSocketAddress(c.address(), c.port());
    }

    /** Records what a leg delivers and how it ends. */
    static final class Recorder implements WebRtcLeg.Events, RtpEndpoint.Listener {
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        final CompletableFuture<LegEndReason> ended = new CompletableFuture<>();
        final AtomicInteger packets = new AtomicInteger();
        final CountDownLatch firstPacket = new CountDownLatch(1);

        @Override
        public void onConnected(WebRtcLeg leg) {
            connected.complete(null);
        }

        @Override
        public void onEnded(WebRtcLeg leg, LegEndReason reason) {
            ended.complete(reason);
        }

        @Override
        public void onRtp(RtpEndpoint endpoint, ByteBuf packet) {
            packet.release();
            packets.incrementAndGet();
            firstPacket.countDown();
        }
    }

    @Test
    void connectsCarriesSrtpBothWaysAndDropsAReplay() throws Exception {
        EventLoop loop = group.next();
        Recorder recorder = new Recorder();
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = endpoint.accept(browser.offer(), loop, recorder);
            loop.submit(() -> leg.setListener(recorder)).sync();
            browser.target(udpAddress());
            assertEquals(WebRtcLegState.CONNECTING, leg.state());

            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), true);
            StunMessage response = browser.awaitStun();
            assertNotNull(response);
            assertEquals(StunMessage.BINDING_SUCCESS, response.messageType());

            browser.srtp = SrtpSession.create(browser.connectDtls(leg.answer().description().media().get(0)
                    .attribute("fingerprint").flatMap(io.warmline.webrtc.sdp.DtlsFingerprint::parse).orElseThrow()));
            recorder.connected.get(5, TimeUnit.SECONDS);
            assertEquals(WebRtcLegState.CONNECTED, leg.state());
            assertTrue(leg.handshakeNanos() > 0);

            byte[] first = browser.protectedRtp(1, 960, 0x80 | 30);
            browser.send(first);
            assertTrue(recorder.firstPacket.await(5, TimeUnit.SECONDS));
            assertEquals(0x80 | 30, leg.audioLevel());

            long replayedBefore = endpoint.stats().srtpReplayed();
            browser.send(first);
            browser.send(browser.protectedRtp(2, 1920, 0x80 | 40));
            waitFor(() -> recorder.packets.get() == 2);
            waitFor(() -> endpoint.stats().srtpReplayed() == replayedBefore + 1);
            assertEquals(2, recorder.packets.get(), "the replayed copy is not delivered");

            ByteBuf out = Unpooled.buffer(64);
            out.writeByte(0x80).writeByte(111).writeShort(7).writeInt(960).writeInt((int) leg.localSsrc());
            out.writeBytes(new byte[] {1, 2, 3, 4});
            loop.execute(() -> leg.send(out));
            byte[] received = browser.srtpReceived.poll(5, TimeUnit.SECONDS);
            assertNotNull(received, "Warmline's RTP arrives at the browser");
            ByteBuf decrypted = Unpooled.wrappedBuffer(received);
            assertEquals(SrtpResult.OK, browser.srtp.unprotectRtp(decrypted));
            assertEquals(16, decrypted.readableBytes());
            assertEquals(7, decrypted.getUnsignedShort(2));

            leg.close();
            waitFor(() -> leg.state() == WebRtcLegState.ENDED);
            assertTrue(recorder.ended.isDone() == false, "close() by the owner is not reported as ending by itself");
        }
    }

    @Test
    void aCertificateOtherThanTheOfferedOneFailsTheLegAndDeliversNothing() throws Exception {
        EventLoop loop = group.next();
        Recorder recorder = new Recorder();
        long mismatchesBefore = endpoint.stats().fingerprintMismatches();
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            DtlsCertificate other = DtlsCertificate.generate();
            WebRtcLeg leg = endpoint.accept(browser.offer(other.fingerprint()), loop, recorder);
            loop.submit(() -> leg.setListener(recorder)).sync();
            browser.target(udpAddress());
            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), true);
            assertNotNull(browser.awaitStun());
            assertThrows(Exception.class, () -> browser.connectDtls(endpoint.certificate().fingerprint()));
            assertEquals(LegEndReason.DTLS_FAILED, recorder.ended.get(5, TimeUnit.SECONDS));
            assertEquals(mismatchesBefore + 1, endpoint.stats().fingerprintMismatches());
            assertEquals(0, recorder.packets.get());
            assertEquals(WebRtcLegState.ENDED, leg.state());
        }
    }

    @Test
    void badIntegrityAndUnknownUfragAreCountedAndNominateNothing() throws Exception {
        EventLoop loop = group.next();
        Recorder recorder = new Recorder();
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = endpoint.accept(browser.offer(), loop, recorder);
            browser.target(udpAddress());
            WebRtcEndpointStats before = endpoint.stats();

            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), "not-the-password-at-all-x", true);
            StunMessage refused = browser.awaitStun();
            assertNotNull(refused);
            assertEquals(401, refused.errorCode());

            browser.check("NoSuchUfragHere:" + browser.ice.ufrag(), leg.answer().localIce().pwd(), true);
            assertNull(browser.stunResponses.poll(300, TimeUnit.MILLISECONDS), "an unknown ufrag gets no answer");

            WebRtcEndpointStats after = endpoint.stats();
            assertEquals(before.stunBadIntegrity() + 1, after.stunBadIntegrity());
            assertEquals(before.stunUnknownUfrag() + 1, after.stunUnknownUfrag());

            // DTLS and SRTP from an address no check validated go nowhere.
            browser.send(new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0});
            byte[] rtp = new byte[32];
            rtp[0] = (byte) 0x80;
            rtp[1] = 111;
            browser.send(rtp);
            waitFor(() -> endpoint.stats().dtlsUnknownAddress() == before.dtlsUnknownAddress() + 1
                    && endpoint.stats().mediaUnknownAddress() == before.mediaUnknownAddress() + 1);
            assertEquals(WebRtcLegState.CONNECTING, leg.state());
            assertEquals(0, recorder.packets.get());
            leg.close();
        }
    }

    @Test
    void aSourceThePeerFilterRefusesIsDroppedUnansweredAndCounted() throws Exception {
        WebRtcEndpoint fenced = WebRtcEndpoint.start(group, WebRtcEndpointOptions
                .on(List.of(InetAddress.getLoopbackAddress()))
                .withPeerFilter(source -> !source.isLoopbackAddress()));
        Recorder recorder = new Recorder();
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = fenced.accept(browser.offer(), group.next(), recorder);
            IceCandidate c = fenced.candidates().get(0);
            browser.target(new InetSocketAddress(c.address(), c.port()));

            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), true);
            assertNull(browser.stunResponses.poll(300, TimeUnit.MILLISECONDS), "a refused source gets no answer");
            waitFor(() -> fenced.stats().peersRefused() == 1);
            assertEquals(0, fenced.stats().stunUnknownUfrag() + fenced.stats().stunBadIntegrity());
            assertEquals(WebRtcLegState.CONNECTING, leg.state());
            assertEquals(0, recorder.packets.get());
            leg.close();
        } finally {
            fenced.close();
        }
    }

    @Test
    void refusesAnOfferWithoutFingerprintAndCountsIt() {
        long before = endpoint.stats().offersRefused();
        String offer;
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            offer = browser.offer().replaceAll("a=fingerprint:[^\r]*\r\n", "");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        OfferRefusedException e = assertThrows(OfferRefusedException.class,
                () -> endpoint.accept(offer, group.next(), null));
        assertEquals(RefusalReason.NO_FINGERPRINT, e.reason());
        assertEquals(before + 1, endpoint.stats().offersRefused());
    }

    @Test
    void aLegWithoutChecksEndsAtTheHandshakeBound() throws Exception {
        NioEventLoopGroup own = new NioEventLoopGroup(1);
        try (WebRtcEndpoint quick = WebRtcEndpoint.start(own, WebRtcEndpointOptions
                .on(List.of(InetAddress.getLoopbackAddress())).withHandshakeTimeout(java.time.Duration.ofMillis(200)));
                LoopbackBrowser browser = new LoopbackBrowser()) {
            Recorder recorder = new Recorder();
            WebRtcLeg leg = quick.accept(browser.offer(), own.next(), recorder);
            assertEquals(LegEndReason.HANDSHAKE_TIMEOUT, recorder.ended.get(5, TimeUnit.SECONDS));
            assertEquals(WebRtcLegState.ENDED, leg.state());
            assertEquals(0, quick.legCount());
        } finally {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void trickledCandidatesAreReadAndAnIceRestartIsRefused() throws Exception {
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = endpoint.accept(browser.offer(), group.next(), null);
            String frag = "a=ice-ufrag:" + browser.ice.ufrag() + "\r\na=mid:0\r\n"
                    + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\na=end-of-candidates\r\n";
            assertEquals(1, leg.addRemoteCandidates(frag));
            assertEquals(1, leg.remoteCandidates().size());
            assertThrows(BadCandidateException.class, () -> leg.addRemoteCandidates("a=candidate:bad"));
            assertThrows(BadCandidateException.class,
                    () -> leg.addRemoteCandidates("a=ice-ufrag:Another1\r\na=candidate:1 1 udp 1 127.0.0.1 1 typ host"));
            leg.close();
        }
    }

    static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

}
