package io.warmline.bridge.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.warmline.bridge.metrics.Exposition;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.LegCodecs;
import io.warmline.media.codec.G711;
import io.warmline.sip.Trunk;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.MediaLeg;
import io.warmline.media.transport.MediaLegOptions;
import io.warmline.media.transport.RtpEndpoint;
import io.warmline.media.transport.RtpPortAllocator;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry with real bridges and real UDP legs on loopback. The WebRTC layer is replaced by plain RTP legs
 * (PCMU, no SRTP) so the conversation logic — limits, who hears whom, leaving, ending — is checked on its own; the
 * encrypted legs are covered by the Chromium peer test.
 */
class ConversationRegistryTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final NioEventLoopGroup loops = new NioEventLoopGroup(2);
    private final RtpPortAllocator ports = new RtpPortAllocator(41000, 41999);
    private final List<PlainLeg> accepted = new ArrayList<>();
    private final List<DatagramSocket> sockets = new ArrayList<>();
    private String refuse;

    private final VoiceLegs plainLegs = (offer, loop, receivedNanos, events) -> {
        if (refuse != null) {
            throw new ConversationException(ConversationException.Kind.OFFER_REFUSED, refuse);
        }
        try {
            // The "offer" names the far end's port on loopback.
            int remotePort = Integer.parseInt(offer.strip());
            MediaLeg media = MediaLeg.open(loop, LOOPBACK, ports, new MediaLegOptions(Duration.ofSeconds(30),
                    Duration.ofSeconds(2), NanoClock.SYSTEM, "test"));
            media.setRemote(new InetSocketAddress(LOOPBACK, remotePort), new InetSocketAddress(LOOPBACK, remotePort + 1));
            media.setFormat(0, "PCMU", 8000, -1);
            PlainLeg leg = new PlainLeg(media, events);
            accepted.add(leg);
            return leg;
        } catch (Exception e) {
            throw new ConversationException(ConversationException.Kind.MEDIA_UNAVAILABLE, e.toString());
        }
    };

    private final ConversationRegistry registry = new ConversationRegistry(loops, plainLegs,
            new EscalationDialer(java.util.Map.of(), () -> null, "127.0.0.1", LOOPBACK, ports, Duration.ofSeconds(30),
                    Duration.ofSeconds(2), NanoClock.SYSTEM), 2, NanoClock.SYSTEM, 8000);

    private static final class PlainLeg implements AcceptedVoiceLeg {
        final MediaLeg media;
        final VoiceLegEvents events;
        boolean closed;

        PlainLeg(MediaLeg media, VoiceLegEvents events) {
            this.media = media;
            this.events = events;
        }

        @Override
        public String answerSdp() {
            return String.valueOf(media.localRtpPort());
        }

        @Override
        public RtpEndpoint endpoint() {
            return media;
        }

        @Override
        public LegCodec codec() {
            return LegCodec.pcmu(-1);
        }

        @Override
        public long handshakeNanos() {
            return 0;
        }

        int restarts;

        @Override
        public String iceUfrag() {
            return "u" + media.localRtpPort() + (restarts == 0 ? "" : "r" + restarts);
        }

        @Override
        public String restartIce(String sdpFragment) {
            if (!sdpFragment.contains("a=ice-pwd:")) {
                throw new ConversationException(ConversationException.Kind.BAD_CANDIDATE, "no new credentials");
            }
            restarts++;
            return "a=ice-ufrag:" + iceUfrag() + "\r\n";
        }

        @Override
        public void trickle(String sdpFragment) {
            if (!sdpFragment.startsWith("a=")) {
                throw new ConversationException(ConversationException.Kind.BAD_CANDIDATE, "not an SDP fragment");
            }
        }

        @Override
        public boolean ended() {
            return closed;
        }

        @Override
        public void close() {
            closed = true;
            media.close();
        }
    }

    @AfterEach
    void stop() {
        sockets.forEach(DatagramSocket::close);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private DatagramSocket farEnd() throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(2000);
        sockets.add(s);
        return s;
    }

    private VoiceLegOpened open(String conversation, DatagramSocket far, String token) {
        return registry.openVoiceLeg(conversation, String.valueOf(far.getLocalPort()), token).toCompletableFuture()
                .join();
    }

    private static ConversationException.Kind failure(java.util.concurrent.CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().join();
            throw new AssertionError("expected a failure");
        } catch (CompletionException e) {
            return ((ConversationException) e.getCause()).kind();
        }
    }

    /** Sends PCMU frames of a loud constant to Warmline's leg until the other far end receives audio; bounded. */
    private static int relayedFrames(DatagramSocket from, int toPort, DatagramSocket at) throws Exception {
        byte[] pcmu = new byte[12 + 160];
        pcmu[0] = (byte) 0x80;
        java.util.Arrays.fill(pcmu, 12, pcmu.length, (byte) 0x10); // about -6 dBFS
        int received = 0;
        byte[] buf = new byte[2048];
        at.setSoTimeout(20);
        for (int seq = 0; seq < 150 && received < 5; seq++) {
            pcmu[2] = (byte) (seq >> 8);
            pcmu[3] = (byte) seq;
            int ts = seq * 160;
            pcmu[4] = (byte) (ts >>> 24);
            pcmu[5] = (byte) (ts >>> 16);
            pcmu[6] = (byte) (ts >>> 8);
            pcmu[7] = (byte) ts;
            pcmu[11] = 0x42;
            from.send(new DatagramPacket(pcmu, pcmu.length, new InetSocketAddress(LOOPBACK, toPort)));
            // Paced by the receive timeout (20 ms, one frame): audio arrives at the bridge's pace.
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                at.receive(p);
                if (p.getLength() == 172 && loud(buf, 12, 172)) {
                    received++;
                }
            } catch (SocketTimeoutException e) {
                // nothing this frame
            }
        }
        return received;
    }

    private static boolean loud(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            // PCMU silence is 0xFF/0x7F; anything far from it is signal.
            int v = b[i] & 0x7F;
            if (v < 0x60) {
                return true;
            }
        }
        return false;
    }

    @Test
    void twoLegsOfOneConversationHearEachOther() throws Exception {
        DatagramSocket a = farEnd();
        DatagramSocket b = farEnd();
        VoiceLegOpened la = open("c1", a, "t1");
        VoiceLegOpened lb = open("c1", b, "t2");
        assertEquals(1, registry.activeConversations());
        assertEquals(2, registry.activeVoiceLegs());
        assertEquals("t1", registry.voiceLeg("c1", la.legId()).orElseThrow().tokenId());
        assertTrue(relayedFrames(a, Integer.parseInt(la.answerSdp()), b) >= 5, "a's audio did not reach b");
        assertTrue(relayedFrames(b, Integer.parseInt(lb.answerSdp()), a) >= 5, "b's audio did not reach a");
    }

    @Test
    void aConversationsLegsAndBridgeReachTheNodesMeters() throws Exception {
        DatagramSocket a = farEnd();
        DatagramSocket b = farEnd();
        VoiceLegOpened la = open("c1", a, "t1");
        VoiceLegOpened lb = open("c1", b, "t2");
        assertTrue(relayedFrames(a, Integer.parseInt(la.answerSdp()), b) >= 5, "a's audio did not reach b");
        assertTrue(relayedFrames(b, Integer.parseInt(lb.answerSdp()), a) >= 5, "b's audio did not reach a");
        Exposition live = scrapeMeters();
        assertEquals(2, live.valueOrZero("warmline_media_legs_active", "kind", "webrtc"));
        assertEquals(1, live.valueOrZero("warmline_media_bridges_active"));
        assertTrue(live.valueOrZero("warmline_media_ticks_total") > 0);

        registry.closeVoiceLeg("c1", la.legId(), "test").toCompletableFuture().join();
        registry.closeVoiceLeg("c1", lb.legId(), "test").toCompletableFuture().join();
        Exposition ended = scrapeMeters();
        // The browser's legs (plain RTP here) each land once in the quality histograms of their kind.
        assertEquals(2, ended.valueOrZero("warmline_leg_mos_count", "kind", "webrtc"));
        assertEquals(0, ended.valueOrZero("warmline_leg_mos_count", "kind", "sip"));
        double mos = ended.valueOrZero("warmline_leg_mos_sum", "kind", "webrtc") / 2;
        assertTrue(mos >= 1 && mos <= 4.5, "MOS " + mos);
        assertEquals(0, ended.valueOrZero("warmline_media_legs_active", "kind", "webrtc"));
        assertEquals(0, ended.valueOrZero("warmline_media_bridges_active"));
        assertTrue(ended.valueOrZero("warmline_media_ticks_total") >= live.valueOrZero("warmline_media_ticks_total"));
        assertTrue(ended.valueOrZero("warmline_media_frames_due_total") > 0);
    }

    private Exposition scrapeMeters() throws Exception {
        return Exposition.parse(registry.metrics().scrape(Runnable::run).toCompletableFuture()
                .get(5, TimeUnit.SECONDS));
    }

    @Test
    void aThirdLegIsRefusedUntilOneLeaves() throws Exception {
        open("c1", farEnd(), "t");
        VoiceLegOpened second = open("c1", farEnd(), "t");
        assertEquals(ConversationException.Kind.TOO_MANY_LEGS,
                failure(registry.openVoiceLeg("c1", String.valueOf(farEnd().getLocalPort()), "t")));
        registry.closeVoiceLeg("c1", second.legId(), "test").toCompletableFuture().join();
        open("c1", farEnd(), "t");
        // Another conversation has its own limit.
        open("c2", farEnd(), "t");
        assertEquals(2, registry.activeConversations());
    }

    @Test
    void theLastLegOutEndsTheConversationAndClosesItsLegs() throws Exception {
        VoiceLegOpened a = open("c1", farEnd(), "t");
        VoiceLegOpened b = open("c1", farEnd(), "t");
        registry.closeVoiceLeg("c1", a.legId(), "test").toCompletableFuture().join();
        assertEquals(1, registry.activeConversations());
        registry.closeVoiceLeg("c1", b.legId(), "test").toCompletableFuture().join();
        assertEquals(0, registry.activeConversations());
        assertEquals(0, registry.activeVoiceLegs());
        assertTrue(accepted.stream().allMatch(l -> l.closed));
        assertEquals(ConversationException.Kind.NO_SUCH_CONVERSATION,
                failure(registry.closeVoiceLeg("c1", b.legId(), "again")));
    }

    @Test
    void aLegThatEndsByItselfLeaves() throws Exception {
        open("c1", farEnd(), "t");
        PlainLeg leg = accepted.get(0);
        EventLoop loop = leg.media.eventLoop();
        loop.submit(() -> leg.events.onEnded("consent-lost")).get(2, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(2, TimeUnit.SECONDS);
        assertEquals(0, registry.activeConversations());
        assertTrue(leg.closed);
    }

    /** Holds the conversation's loop until the returned latch is counted down (bounded: 5 s). */
    private CountDownLatch holdLoop(String conversation) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        registry.live(conversation).loop.execute(() -> {
            held.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(held.await(2, TimeUnit.SECONDS));
        return release;
    }

    @Test
    void anOfferIsAnsweredWhileTheConversationsLoopIsBusyAndJoinsAfter() throws Exception {
        DatagramSocket a = farEnd();
        DatagramSocket b = farEnd();
        VoiceLegOpened la = open("c1", a, "t1");
        CountDownLatch release = holdLoop("c1");
        CompletableFuture<VoiceLegOpened> second = registry.openVoiceLeg("c1", String.valueOf(b.getLocalPort()), "t2")
                .toCompletableFuture();
        try {
            assertTrue(second.isDone(), "the answer does not wait for the conversation's loop");
            VoiceLegOpened lb = second.join();
            assertEquals("t2", registry.voiceLeg("c1", lb.legId()).orElseThrow().tokenId(),
                    "indexed before the answer goes out");
            // The limit counts the leg still joining.
            assertEquals(ConversationException.Kind.TOO_MANY_LEGS,
                    failure(registry.openVoiceLeg("c1", String.valueOf(farEnd().getLocalPort()), "t3")));
        } finally {
            release.countDown();
        }
        VoiceLegOpened lb = second.join();
        assertTrue(relayedFrames(a, Integer.parseInt(la.answerSdp()), b) >= 5, "a's audio did not reach b");
        assertTrue(relayedFrames(b, Integer.parseInt(lb.answerSdp()), a) >= 5, "b's audio did not reach a");
    }

    @Test
    void aLegThatEndsBeforeItJoinsLeavesAndEndsTheConversation() throws Exception {
        open("c1", farEnd(), "t1");
        PlainLeg first = accepted.get(0);
        CountDownLatch release = holdLoop("c1");
        VoiceLegOpened second;
        try {
            second = registry.openVoiceLeg("c1", String.valueOf(farEnd().getLocalPort()), "t2")
                    .toCompletableFuture().join();
            // It ends by itself (say the port refused it) before its join runs.
            PlainLeg leg = accepted.get(1);
            leg.close();
            leg.media.eventLoop().execute(() -> leg.events.onEnded("endpoint-closed"));
        } finally {
            release.countDown();
        }
        EventLoop loop = first.media.eventLoop();
        loop.submit(() -> first.events.onEnded("consent-lost")).get(2, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(2, TimeUnit.SECONDS);
        assertTrue(registry.voiceLeg("c1", second.legId()).isEmpty(), "the leg that never joined is unindexed");
        assertEquals(0, registry.activeVoiceLegs());
        assertEquals(0, registry.activeConversations(), "its place was given back: the conversation ended");
    }

    @Test
    void aRefusedFirstOfferLeavesNoConversation() {
        refuse = "the offer has no audio m-line";
        assertEquals(ConversationException.Kind.OFFER_REFUSED, failure(registry.openVoiceLeg("c1", "1", "t")));
        assertEquals(0, registry.activeConversations());
    }

    @Test
    void trickleReachesTheLegAndBadFragmentsAreNamed() throws Exception {
        VoiceLegOpened a = open("c1", farEnd(), "t");
        registry.trickle("c1", a.legId(), a.etag(), "a=candidate:1 1 udp 1 127.0.0.1 9 typ host").toCompletableFuture()
                .join();
        assertEquals(ConversationException.Kind.BAD_CANDIDATE,
                failure(registry.trickle("c1", a.legId(), a.etag(), "junk")));
        assertEquals(ConversationException.Kind.NO_SUCH_LEG, failure(registry.trickle("c1", "nope", a.etag(), "a=x")));
        assertEquals(ConversationException.Kind.ETAG_MISMATCH,
                failure(registry.trickle("c1", a.legId(), "\"stale\"", "a=end-of-candidates")));
        registry.trickle("c1", a.legId(), "W/\"x\", " + a.etag(), "a=end-of-candidates").toCompletableFuture().join();
    }

    @Test
    void anIceRestartGivesTheLegANewEtagAndTheOldOneIsStale() throws Exception {
        VoiceLegOpened a = open("c1", farEnd(), "t");
        assertEquals(a.etag(), registry.voiceLeg("c1", a.legId()).orElseThrow().etag());
        IceRestarted r = registry.restartIce("c1", a.legId(), "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\n")
                .toCompletableFuture().join();
        assertTrue(r.sdpFragment().contains("r1"), r.sdpFragment());
        assertTrue(!r.etag().equals(a.etag()));
        assertEquals(r.etag(), registry.voiceLeg("c1", a.legId()).orElseThrow().etag(), "the API sees the new ETag");
        assertEquals(ConversationException.Kind.ETAG_MISMATCH,
                failure(registry.trickle("c1", a.legId(), a.etag(), "a=end-of-candidates")));
        registry.trickle("c1", a.legId(), r.etag(), "a=end-of-candidates").toCompletableFuture().join();
        assertEquals(ConversationException.Kind.BAD_CANDIDATE,
                failure(registry.restartIce("c1", a.legId(), "a=end-of-candidates")));
        assertEquals(ConversationException.Kind.NO_SUCH_LEG, failure(registry.restartIce("c1", "nope", "a=x")));
    }

    @Test
    void escalatingAnEmptyConversationIsRefused() {
        assertEquals(ConversationException.Kind.NO_SUCH_CONVERSATION, failure(registry.escalate("c9", "support")));
    }

    @Test
    void drainingRefusesNewLegs() throws Exception {
        open("c1", farEnd(), "t");
        registry.stopAccepting();
        assertEquals(ConversationException.Kind.NOT_ACCEPTING,
                failure(registry.openVoiceLeg("c1", String.valueOf(farEnd().getLocalPort()), "t")));
        assertTrue(registry.endAll("drain", Duration.ofSeconds(2)));
        assertEquals(0, registry.activeConversations());
    }

    /** Sends frames of a constant level from {@code from}; returns the peak level of each frame {@code at} receives. */
    private static List<Integer> peaksHeard(DatagramSocket from, int toPort, DatagramSocket at, int frames, int seq0)
            throws Exception {
        byte[] pcmu = new byte[12 + 160];
        pcmu[0] = (byte) 0x80;
        java.util.Arrays.fill(pcmu, 12, pcmu.length, G711.linearToUlaw((short) 12000));
        List<Integer> peaks = new ArrayList<>();
        byte[] buf = new byte[2048];
        short[] pcm = new short[160];
        at.setSoTimeout(20);
        for (int seq = seq0; seq < seq0 + frames; seq++) {
            pcmu[2] = (byte) (seq >> 8);
            pcmu[3] = (byte) seq;
            int ts = seq * 160;
            pcmu[4] = (byte) (ts >>> 24);
            pcmu[5] = (byte) (ts >>> 16);
            pcmu[6] = (byte) (ts >>> 8);
            pcmu[7] = (byte) ts;
            pcmu[11] = 0x43;
            from.send(new DatagramPacket(pcmu, pcmu.length, new InetSocketAddress(LOOPBACK, toPort)));
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                at.receive(p);
                if (p.getLength() == 172) {
                    G711.decodeUlaw(buf, 12, 160, pcm, 0);
                    int peak = 0;
                    for (short v : pcm) {
                        peak = Math.max(peak, Math.abs(v));
                    }
                    peaks.add(peak);
                }
            } catch (SocketTimeoutException e) {
                // nothing this frame
            }
        }
        return peaks;
    }

    @Test
    void whileTheIvrIsNavigatedTheCustomerHearsComfortNotTheSupportLine() throws Exception {
        DatagramSocket customer = farEnd();
        DatagramSocket ivr = farEnd();
        open("c1", customer, "t");
        Conversation conversation = registry.live("c1");
        Trunk trunk = new Trunk("pbx", "127.0.0.1", 5060, "udp", null, 0, null, null, List.of(), List.of(),
                Duration.ofSeconds(10), java.util.Map.of());
        MediaLeg[] human = new MediaLeg[1];
        EscalationCall call = conversation.loop.submit(() -> {
            EscalationCall c = new EscalationCall("esc1", "support", conversation,
                    new EscalationDialer.Target("support", trunk, "2000", List.of("PCMU")));
            human[0] = MediaLeg.open(conversation.loop, LOOPBACK, ports, new MediaLegOptions(Duration.ofSeconds(30),
                    Duration.ofSeconds(2), NanoClock.SYSTEM, "test"));
            human[0].setRemote(new InetSocketAddress(LOOPBACK, ivr.getLocalPort()),
                    new InetSocketAddress(LOOPBACK, ivr.getLocalPort() + 1));
            human[0].setFormat(0, "PCMU", 8000, -1);
            assertTrue(conversation.joinHuman(c, human[0], LegCodecs.symmetric(LegCodec.pcmu(-1)), true) != null);
            return c;
        }).get(2, TimeUnit.SECONDS);

        // Comfort tone: 425 Hz at -24 dBFS (peak about 2070), 200 ms on from its start; the IVR sends 12000.
        List<Integer> navigating = peaksHeard(ivr, human[0].localRtpPort(), customer, 40, 0);
        assertTrue(navigating.size() >= 20, navigating.toString());
        assertTrue(navigating.stream().allMatch(p -> p < 3000), "the customer heard the IVR: " + navigating);
        assertTrue(navigating.stream().anyMatch(p -> p > 1000), "no comfort audio: " + navigating);

        conversation.loop.submit(() -> conversation.humanReady(call)).get(2, TimeUnit.SECONDS);
        List<Integer> connected = peaksHeard(ivr, human[0].localRtpPort(), customer, 60, 40);
        assertTrue(connected.stream().filter(p -> p > 10000).count() >= 10,
                "the customer does not hear the support line once navigated: " + connected);
        conversation.loop.submit(() -> human[0].close()).get(2, TimeUnit.SECONDS);
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path recordings;

    private io.warmline.bridge.recording.Recorder recorder() throws Exception {
        return io.warmline.bridge.recording.Recorder.start(new io.warmline.config.RecordingConfig(recordings,
                io.warmline.config.RecordingMode.MIX, Duration.ofHours(1), 0, 64), java.time.Clock.systemUTC());
    }

    private io.warmline.media.play.WavAudio recorded(io.warmline.bridge.recording.RecordingView view, String part)
            throws Exception {
        String f = view.files().stream().filter(n -> n.endsWith("_" + part + ".wav")).findFirst()
                .orElseThrow(() -> new AssertionError("no " + part + " file in " + view.files()));
        return io.warmline.media.play.WavReader.read(recordings.resolve(f));
    }

    private static int peak(io.warmline.media.play.WavAudio w) {
        int peak = 0;
        for (short v : w.samples()) {
            peak = Math.max(peak, Math.abs(v));
        }
        return peak;
    }

    @Test
    void aConversationIsRecordedOnRequestOneFilePerLegHoldingThatLeg() throws Exception {
        assertEquals(ConversationException.Kind.NO_SUCH_CONVERSATION,
                failure(registry.startRecording("c1", null)));
        DatagramSocket a = farEnd();
        DatagramSocket b = farEnd();
        VoiceLegOpened la = open("c1", a, "t");
        VoiceLegOpened lb = open("c1", b, "t");
        assertEquals(ConversationException.Kind.RECORDING_NOT_CONFIGURED,
                failure(registry.startRecording("c1", null)));
        try (io.warmline.bridge.recording.Recorder recorder = recorder()) {
            registry.useRecorder(recorder, java.util.Set.of());
            assertEquals(ConversationException.Kind.NOT_RECORDING, failure(registry.stopRecording("c1")));
            io.warmline.bridge.recording.RecordingView started = registry.startRecording("c1",
                    io.warmline.config.RecordingMode.BOTH).toCompletableFuture().join();
            assertEquals(3, started.files().size(), started.files().toString());
            assertEquals(ConversationException.Kind.ALREADY_RECORDING,
                    failure(registry.startRecording("c1", io.warmline.config.RecordingMode.MIX)));

            assertTrue(relayedFrames(a, Integer.parseInt(la.answerSdp()), b) >= 5, "a's audio did not reach b");
            io.warmline.bridge.recording.RecordingView stopped = registry.stopRecording("c1").toCompletableFuture()
                    .join();
            assertEquals(started.files(), stopped.files());
            assertTrue(recorder.awaitWritten(Duration.ofSeconds(5)));
            // a sent a loud constant (about -6 dBFS); b sent nothing.
            assertTrue(peak(recorded(stopped, "web-" + la.legId())) > 10000);
            assertEquals(0, peak(recorded(stopped, "web-" + lb.legId())), "b's file holds only b");
            assertTrue(peak(recorded(stopped, "mix")) > 10000);
            assertTrue(recorded(stopped, "mix").durationMillis() >= 100);
        }
    }

    @Test
    void anEscalationToARecordedTargetStartsARecordingWhenTheHumanJoins() throws Exception {
        DatagramSocket customer = farEnd();
        open("c1", customer, "t");
        Conversation conversation = registry.live("c1");
        Trunk trunk = new Trunk("pbx", "127.0.0.1", 5060, "udp", null, 0, null, null, List.of(), List.of(),
                Duration.ofSeconds(10), java.util.Map.of());
        try (io.warmline.bridge.recording.Recorder recorder = recorder()) {
            registry.useRecorder(recorder, java.util.Set.of("support"));
            MediaLeg human = conversation.loop.submit(() -> {
                EscalationCall c = new EscalationCall("esc1", "support", conversation,
                        new EscalationDialer.Target("support", trunk, "2000", List.of("PCMU")));
                MediaLeg m = MediaLeg.open(conversation.loop, LOOPBACK, ports, new MediaLegOptions(
                        Duration.ofSeconds(30), Duration.ofSeconds(2), NanoClock.SYSTEM, "test"));
                m.setFormat(0, "PCMU", 8000, -1);
                assertTrue(conversation.joinHuman(c, m, LegCodecs.symmetric(LegCodec.pcmu(-1)), false) != null);
                return m;
            }).get(2, TimeUnit.SECONDS);
            io.warmline.bridge.recording.RecordingView view = registry.stopRecording("c1").toCompletableFuture()
                    .join();
            assertEquals(1, view.files().size(), "the configured mode, mix: " + view.files());
            assertEquals(io.warmline.config.RecordingMode.MIX, view.mode());
            conversation.loop.submit(human::close).get(2, TimeUnit.SECONDS);
        }
    }
}
