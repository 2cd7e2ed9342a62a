package io.warmline.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.warmline.media.transport.NettyTransport;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The shared port against a browser's side built from real STUN, DTLS and SRTP on loopback: a leg connects and carries
 * RTP both ways, and every attack the issue names is dropped, counted, and delivers nothing. Everything runs on NIO
 * loops and sockets, then on epoll ones.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(NettyTransport.class)
class WebRtcEndpointTest {

    private static EventLoopGroup group;
    private static WebRtcEndpoint endpoint;

    @Parameter
    NettyTransport transport;

    @BeforeParameterizedClassInvocation
    static void start(NettyTransport transport) throws Exception {
        group = transport.newGroup(2, new DefaultThreadFactory("webrtc-test-" + transport.configName()));
        endpoint = WebRtcEndpoint.start(group, WebRtcEndpointOptions.on(List.of(InetAddress.getLoopbackAddress())));
    }

    @AfterParameterizedClassInvocation
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
            // The offer's HTTP request arrived 250 ms before it was taken up: the handshake counts from there.
            long offerArrived = System.nanoTime() - 250_000_000L;
            WebRtcLeg leg = endpoint.accept(browser.offer(), loop, recorder, offerArrived);
            leg.markJoined(System.nanoTime());
            leg.markAnswerSent(System.nanoTime());
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
            waitFor(() -> !leg.handshakeTimeline().contains("=-"));
            String timeline = leg.handshakeTimeline();
            assertTrue(timeline.matches(".*flights=\\[\\d+\\.\\d(,\\d+\\.\\d)*\\].*"), timeline);
            assertTrue(timeline.matches("taken=(2[5-9]\\d|[3-9]\\d\\d|\\d{4,})\\.\\d answer=.*"), timeline);
            assertTrue(leg.handshakeNanos() >= 250_000_000L, "counted from the offer's arrival: "
                    + leg.handshakeNanos());

            leg.close();
            waitFor(() -> leg.state() == WebRtcLegState.ENDED);
            assertTrue(recorder.ended.isDone() == false, "close() by the owner is not reported as ending by itself");
        }
    }

    @Test
    void warmingUpTheAnswererMakesNoLeg() {
        // counted as accepted legs: the live count may still fall as an earlier test's leg ends on its loop
        long before = endpoint.stats().legsAccepted();
        assertTrue(endpoint.warmUpAnswers(3) > 0);
        assertEquals(before, endpoint.stats().legsAccepted());
    }

    @Test
    void dtlsOnAPathTheChecksValidatedConnectsBeforeNominationAndMediaStaysThereAfterIt() throws Exception {
        EventLoop loop = group.next();
        Recorder recorder = new Recorder();
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = endpoint.accept(browser.offer(), loop, recorder);
            loop.submit(() -> leg.setListener(recorder)).sync();
            browser.target(udpAddress());

            // A check without USE-CANDIDATE validates the path (RFC 8445 §7.3.1.4); DTLS then runs on it.
            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), false);
            assertEquals(StunMessage.BINDING_SUCCESS, browser.awaitStun().messageType());
            browser.srtp = SrtpSession.create(browser.connectDtls(leg.answer().description().media().get(0)
                    .attribute("fingerprint").flatMap(io.warmline.webrtc.sdp.DtlsFingerprint::parse).orElseThrow()));
            recorder.connected.get(5, TimeUnit.SECONDS);
            assertEquals(WebRtcLegState.CONNECTED, leg.state());
            assertTrue(leg.handshakeTimeline().contains("nominated=-"), leg.handshakeTimeline());

            browser.send(browser.protectedRtp(1, 960, 0x80 | 30));
            assertTrue(recorder.firstPacket.await(5, TimeUnit.SECONDS), "media is taken before nomination");
            sendOne(loop, leg, 7);
            assertNotNull(browser.srtpReceived.poll(5, TimeUnit.SECONDS), "media is sent before nomination");

            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), true);
            assertEquals(StunMessage.BINDING_SUCCESS, browser.awaitStun().messageType());
            waitFor(() -> !leg.handshakeTimeline().contains("nominated=-"));
            browser.send(browser.protectedRtp(2, 1920, 0x80 | 30));
            waitFor(() -> recorder.packets.get() == 2);
            sendOne(loop, leg, 8);
            assertNotNull(browser.srtpReceived.poll(5, TimeUnit.SECONDS), "and on the nominated path after it");
            leg.close();
        }
    }

    @Test
    void mediaBeforeNominationIsTakenOnlyFromThePathDtlsRanOn() throws Exception {
        EventLoop loop = group.next();
        Recorder recorder = new Recorder();
        try (LoopbackBrowser browser = new LoopbackBrowser(); LoopbackBrowser other = new LoopbackBrowser()) {
            WebRtcLeg leg = endpoint.accept(browser.offer(), loop, recorder);
            loop.submit(() -> leg.setListener(recorder)).sync();
            browser.target(udpAddress());
            other.target(udpAddress());
            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), false);
            assertNotNull(browser.awaitStun());
            browser.srtp = SrtpSession.create(browser.connectDtls(leg.answer().description().media().get(0)
                    .attribute("fingerprint").flatMap(io.warmline.webrtc.sdp.DtlsFingerprint::parse).orElseThrow()));
            recorder.connected.get(5, TimeUnit.SECONDS);

            // A second address of the same browser, validated by a check but not the one DTLS ran on.
            other.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), false);
            assertNotNull(other.awaitStun());
            long notReady = endpoint.stats().mediaNotReady();
            other.send(browser.protectedRtp(1, 960, 0x80 | 30));
            waitFor(() -> endpoint.stats().mediaNotReady() == notReady + 1);
            assertEquals(0, recorder.packets.get());
            leg.close();
        }
    }

    @Test
    void aPortOnItsOwnLoopAnswersChecksAndEndsThatLoopWhenClosed() throws Exception {
        long before = portThreads();
        WebRtcEndpoint own = WebRtcEndpoint.startOnOwnLoop(
                WebRtcEndpointOptions.on(List.of(InetAddress.getLoopbackAddress())), 0, transport);
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            assertEquals(before + 1, portThreads());
            assertEquals(transport, own.transport());
            WebRtcLeg leg = own.accept(browser.offer(), group.next(), new Recorder());
            IceCandidate c = own.candidates().get(0);
            browser.target(new InetSocketAddress(c.address(), c.port()));
            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), true);
            StunMessage reply = browser.awaitStun();
            assertNotNull(reply);
            assertEquals(StunMessage.BINDING_SUCCESS, reply.messageType());
        } finally {
            own.close();
        }
        waitFor(() -> portThreads() == before);
    }

    /**
     * A leg on another loop than the port's: what it sends in one task reaches the browser whole and in order (one
     * hand-over, one flush; sendmmsg on epoll), and packets queued by a leg that ends in the same task are released
     * unsent.
     */
    @Test
    void aBurstFromACallLoopArrivesInOrderAndAnEndedLegsQueuedPacketsAreReleased() throws Exception {
        WebRtcEndpoint own = WebRtcEndpoint.startOnOwnLoop(
                WebRtcEndpointOptions.on(List.of(InetAddress.getLoopbackAddress())), 0, transport);
        EventLoop loop = group.next();
        Recorder recorder = new Recorder();
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = own.accept(browser.offer(), loop, recorder);
            IceCandidate c = own.candidates().get(0);
            browser.target(new InetSocketAddress(c.address(), c.port()));
            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), true);
            assertNotNull(browser.awaitStun());
            browser.srtp = SrtpSession.create(browser.connectDtls(leg.answer().description().media().get(0)
                    .attribute("fingerprint").flatMap(io.warmline.webrtc.sdp.DtlsFingerprint::parse).orElseThrow()));
            recorder.connected.get(5, TimeUnit.SECONDS);

            int burst = 40;
            loop.submit(() -> {
                for (int i = 1; i <= burst; i++) {
                    leg.send(rtp(leg, i));
                }
            }).sync();
            for (int i = 1; i <= burst; i++) {
                byte[] received = browser.srtpReceived.poll(5, TimeUnit.SECONDS);
                assertNotNull(received, "packet " + i + " of the burst");
                ByteBuf decrypted = Unpooled.wrappedBuffer(received);
                assertEquals(SrtpResult.OK, browser.srtp.unprotectRtp(decrypted));
                assertEquals(i, decrypted.getUnsignedShort(2), "in the order sent");
            }

            List<ByteBuf> late = new java.util.ArrayList<>();
            loop.submit(() -> {
                for (int i = 0; i < 5; i++) {
                    ByteBuf b = rtp(leg, 100 + i);
                    late.add(b);
                    leg.send(b);
                }
                leg.close();
            }).sync();
            assertEquals(WebRtcLegState.ENDED, leg.state());
            waitFor(() -> late.stream().allMatch(b -> b.refCnt() == 0));
            // what follows is the leg's RTCP BYE (RFC 3550 §6.6, sent directly at close), never the queued RTP
            byte[] after;
            while ((after = browser.srtpReceived.poll(200, TimeUnit.MILLISECONDS)) != null) {
                int type = after[1] & 0xFF;
                assertTrue(type >= 200 && type <= 204, "RTP of an ended leg was sent: type " + type);
            }
        } finally {
            own.close();
        }
    }

    /** The passive ICE-TCP listener (RFC 6544) of the transport's server channel: a framed check gets a framed answer. */
    @Test
    void aFramedCheckOnTheIceTcpListenerIsAnswered() throws Exception {
        EventLoop loop = group.next();
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = endpoint.accept(browser.offer(), loop, new Recorder());
            IceCandidate tcp = endpoint.candidates().stream().filter(c -> c.transport().equalsIgnoreCase("tcp"))
                    .findFirst().orElseThrow();
            byte[] tx = new byte[12];
            new java.security.SecureRandom().nextBytes(tx);
            byte[] check = new io.warmline.webrtc.stun.StunMessageBuilder(StunMessage.BINDING_REQUEST, tx)
                    .username(leg.localUfrag() + ":" + browser.ice.ufrag()).priority(1853824767L)
                    .iceControlling(0x1234_5678_9ABC_DEF0L)
                    .messageIntegrity(leg.answer().localIce().pwd().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .fingerprint().build();
            try (java.net.Socket socket = new java.net.Socket(InetAddress.getByName(tcp.address()), tcp.port())) {
                socket.setSoTimeout(5000);
                java.io.DataOutputStream out = new java.io.DataOutputStream(socket.getOutputStream());
                out.writeShort(check.length);
                out.write(check);
                out.flush();
                java.io.DataInputStream in = new java.io.DataInputStream(socket.getInputStream());
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                io.warmline.webrtc.stun.StunParseResult r = io.warmline.webrtc.stun.StunDecoder.decode(answer, 0,
                        answer.length);
                assertTrue(r instanceof io.warmline.webrtc.stun.StunParseResult.Parsed, r.toString());
                assertEquals(StunMessage.BINDING_SUCCESS,
                        ((io.warmline.webrtc.stun.StunParseResult.Parsed) r).message().messageType());
            } finally {
                leg.close();
            }
        }
    }

    private static ByteBuf rtp(WebRtcLeg leg, int sequence) {
        ByteBuf out = Unpooled.buffer(64);
        out.writeByte(0x80).writeByte(111).writeShort(sequence).writeInt(960 * sequence).writeInt((int) leg.localSsrc());
        out.writeBytes(new byte[] {1, 2, 3, 4});
        return out;
    }

    private static long portThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("webrtc-port") && t.isAlive()).count();
    }

    private static void sendOne(EventLoop loop, WebRtcLeg leg, int sequence) {
        ByteBuf out = Unpooled.buffer(64);
        out.writeByte(0x80).writeByte(111).writeShort(sequence).writeInt(960 * sequence).writeInt((int) leg.localSsrc());
        out.writeBytes(new byte[] {1, 2, 3, 4});
        loop.execute(() -> leg.send(out));
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
        EventLoopGroup own = transport.newGroup(1, new DefaultThreadFactory("webrtc-test-own"));
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
    void trickledCandidatesAreValidatedFilteredAndEndOfCandidatesIsRecorded() throws Exception {
        EventLoopGroup own = transport.newGroup(1, new DefaultThreadFactory("webrtc-test-own"));
        try (WebRtcEndpoint fenced = WebRtcEndpoint.start(own, WebRtcEndpointOptions
                .on(List.of(InetAddress.getLoopbackAddress())).withPeerFilter(InetAddress::isLoopbackAddress));
                LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = fenced.accept(browser.offer(), own.next(), null);
            String frag = "a=ice-ufrag:" + browser.ice.ufrag() + "\r\na=mid:0\r\n"
                    + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n"
                    + "a=candidate:2 1 udp 2122194687 192.0.2.7 50001 typ host\r\n"
                    + "a=candidate:3 1 udp 2122129151 0e5d8c8c-3b4b-4a59-9d5e-52d8bb0e1a11.local 50002 typ host\r\n";
            assertEquals(2, leg.addRemoteCandidates(frag), "the address outside allowed-peers is dropped");
            assertEquals(List.of("127.0.0.1", "0e5d8c8c-3b4b-4a59-9d5e-52d8bb0e1a11.local"),
                    leg.remoteCandidates().stream().map(IceCandidate::address).toList());
            assertEquals(1, fenced.stats().candidatesRefused());
            assertEquals(2, fenced.stats().candidatesAccepted());
            assertTrue(!leg.remoteEndOfCandidates());
            assertEquals(0, leg.addRemoteCandidates("a=end-of-candidates\r\n"));
            assertTrue(leg.remoteEndOfCandidates());

            assertThrows(BadCandidateException.class, () -> leg.addRemoteCandidates("a=candidate:bad"));
            assertThrows(BadCandidateException.class,
                    () -> leg.addRemoteCandidates("a=candidate:4 1 udp 1 127.0.0.1 1 typ host"),
                    "no candidates after a=end-of-candidates");
            assertThrows(BadCandidateException.class,
                    () -> leg.addRemoteCandidates("a=ice-ufrag:Another1\r\na=end-of-candidates"),
                    "another ICE session's ufrag (a restart goes through restartIce)");
            assertThrows(BadCandidateException.class, () -> leg.addRemoteCandidates("a=mid:7\r\n"));
            assertEquals(4, fenced.stats().fragmentsRefused());
            assertEquals(2, leg.remoteCandidates().size());
            leg.close();
        } finally {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void anIceRestartKeepsDtlsAndSrtpAndChecksNeedTheNewCredentials() throws Exception {
        EventLoop loop = group.next();
        Recorder recorder = new Recorder();
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = endpoint.accept(browser.offer(), loop, recorder);
            loop.submit(() -> leg.setListener(recorder)).sync();
            browser.target(udpAddress());
            String oldUfrag = leg.localUfrag();
            String oldPwd = leg.localIce().pwd();
            browser.check(oldUfrag + ":" + browser.ice.ufrag(), oldPwd, true);
            assertNotNull(browser.awaitStun());
            browser.srtp = SrtpSession.create(browser.connectDtls(leg.answer().description().media().get(0)
                    .attribute("fingerprint").flatMap(io.warmline.webrtc.sdp.DtlsFingerprint::parse).orElseThrow()));
            recorder.connected.get(5, TimeUnit.SECONDS);
            browser.send(browser.protectedRtp(1, 960, 0x80 | 30));
            assertTrue(recorder.firstPacket.await(5, TimeUnit.SECONDS));

            long restartsBefore = endpoint.stats().iceRestarts();
            long unknownBefore = endpoint.stats().stunUnknownUfrag();
            io.warmline.webrtc.sdp.IceCredentials browserNew = new io.warmline.webrtc.sdp.IceCredentials("brwsNew2",
                    "browserRestartPasswordXYZ");
            String restart = "a=ice-ufrag:" + browserNew.ufrag() + "\r\na=ice-pwd:" + browserNew.pwd()
                    + "\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n"
                    + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n";
            var local = loop.submit(() -> leg.restartIce(restart)).get(5, TimeUnit.SECONDS);
            assertTrue(!local.ufrag().equals(oldUfrag) && !local.pwd().equals(oldPwd));
            assertEquals(local.ufrag(), leg.localUfrag());
            assertEquals(browserNew, leg.remoteIce());
            assertEquals("a=ice-lite\r\na=ice-ufrag:" + local.ufrag() + "\r\na=ice-pwd:" + local.pwd() + "\r\n",
                    leg.localFragment());
            assertEquals(1, leg.remoteCandidates().size());
            waitFor(() -> endpoint.stats().iceRestarts() == restartsBefore + 1);

            // Until the browser's first check with the new credentials, the old session still works (RFC 8445 §9)
            // and media stays on its pair.
            browser.check(oldUfrag + ":" + browser.ice.ufrag(), oldPwd, false);
            StunMessage stillOld = browser.awaitStun();
            assertNotNull(stillOld);
            assertEquals(StunMessage.BINDING_SUCCESS, stillOld.messageType());
            assertTrue(stillOld.integrityMatches(oldPwd.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            browser.send(browser.protectedRtp(2, 1920, 0x80 | 30));
            waitFor(() -> recorder.packets.get() == 2);
            // The new ones are answered under the new key, and from then on the old ones name no leg.
            browser.check(local.ufrag() + ":" + browserNew.ufrag(), local.pwd(), true);
            StunMessage ok = browser.awaitStun();
            assertNotNull(ok);
            assertEquals(StunMessage.BINDING_SUCCESS, ok.messageType());
            assertTrue(ok.integrityMatches(local.pwd().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            browser.check(oldUfrag + ":" + browser.ice.ufrag(), oldPwd, false);
            waitFor(() -> endpoint.stats().stunUnknownUfrag() == unknownBefore + 1);

            // DTLS and SRTP are untouched: the same SRTP context carries media both ways.
            assertEquals(WebRtcLegState.CONNECTED, leg.state());
            browser.send(browser.protectedRtp(3, 2880, 0x80 | 30));
            waitFor(() -> recorder.packets.get() == 3);
            ByteBuf out = Unpooled.buffer(64);
            out.writeByte(0x80).writeByte(111).writeShort(9).writeInt(960).writeInt((int) leg.localSsrc());
            out.writeBytes(new byte[] {1, 2, 3, 4});
            loop.execute(() -> leg.send(out));
            byte[] received = browser.srtpReceived.poll(5, TimeUnit.SECONDS);
            assertNotNull(received, "media still reaches the browser after the restart");
            assertEquals(SrtpResult.OK, browser.srtp.unprotectRtp(Unpooled.wrappedBuffer(received)));

            // Not a restart: the same credentials, or none.
            assertThrows(java.util.concurrent.ExecutionException.class, () -> loop.submit(() -> leg.restartIce(
                    "a=ice-ufrag:" + browserNew.ufrag() + "\r\na=ice-pwd:" + browserNew.pwd() + "\r\n")).get());
            assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> loop.submit(() -> leg.restartIce("a=end-of-candidates\r\n")).get());
            leg.close();
            waitFor(() -> leg.state() == WebRtcLegState.ENDED);
            waitFor(() -> endpoint.legCount() == 0);
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
