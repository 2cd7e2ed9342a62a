package io.warmline.webrtc.it;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A libwebrtc peer connection (the engine inside Chrome) with one audio transceiver, run headless: a
 * {@link HeadlessAudioDeviceModule} stands in for the sound card, a {@link CustomAudioSource} sends a sine tone fed in
 * real time in 10 ms frames, and an {@link AudioTrackSink} on the received track measures the tone that arrives.
 */
final class LibWebRtcPeer implements AutoCloseable {

    private static final int RATE = 48000;
    private static final int FRAME = RATE / 100;

    private final HeadlessAudioDeviceModule deviceModule;
    private final PeerConnectionFactory factory;
    private final CustomAudioSource source;
    private final AudioTrack track;
    private final RTCPeerConnection peer;
    private final ScheduledExecutorService feeder;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> failed = new CompletableFuture<>();
    private final CompletableFuture<Void> gathered = new CompletableFuture<>();
    private final List<String> candidates = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ToneMeter meter;
    private final double sendHz;
    private long samplesSent;
    private volatile boolean meterAttached;

    /**
     * @param sendHz the tone to send, or 0 for silence
     * @param listenHz the tone the received-audio meter looks for
     * @throws AssertionError outside the test's network namespace, where libwebrtc would use the host's address
     */
    LibWebRtcPeer(double sendHz, double listenHz) {
        TestNamespace.require();
        this.sendHz = sendHz;
        this.meter = new ToneMeter(listenHz);
        deviceModule = new HeadlessAudioDeviceModule();
        factory = new PeerConnectionFactory(deviceModule);
        source = new CustomAudioSource();
        track = factory.createAudioTrack("tone", source);
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
        peer = factory.createPeerConnection(config, new Observer());
        // addTrack, not addTransceiver: an answering peer reuses only addTrack's transceiver for the offered m-line.
        peer.addTrack(track, List.of("stream"));
        feeder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "libwebrtc-tone");
            t.setDaemon(true);
            return t;
        });
    }

    /** Creates the offer and sets it as the local description; returns its SDP. */
    String createOffer(Duration timeout) throws Exception {
        return createOffer(timeout, false);
    }

    /**
     * Creates an offer and sets it as the local description; with {@code iceRestart} it carries new ICE credentials
     * (JSEP §5.2.1) and libwebrtc gathers again. Returns its SDP.
     */
    String createOffer(Duration timeout, boolean iceRestart) throws Exception {
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        RTCOfferOptions options = new RTCOfferOptions();
        options.iceRestart = iceRestart;
        peer.createOffer(options, new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                offer.complete(description);
            }

            @Override
            public void onFailure(String error) {
                offer.completeExceptionally(new IllegalStateException("createOffer: " + error));
            }
        });
        RTCSessionDescription description = offer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<Void> set = new CompletableFuture<>();
        peer.setLocalDescription(description, observer(set, "setLocalDescription"));
        set.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return description.sdp;
    }

    /** The local description once ICE gathering has finished, with its candidates (for a peer that is not lite). */
    String localSdpAfterGathering(Duration timeout) throws Exception {
        gathered.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return peer.getLocalDescription().sdp;
    }

    /** Answers {@code offerSdp} as a full libwebrtc peer; for checking this harness against itself. */
    String answerForSelfCheck(String offerSdp, Duration timeout) throws Exception {
        CompletableFuture<Void> setRemote = new CompletableFuture<>();
        peer.setRemoteDescription(new RTCSessionDescription(RTCSdpType.OFFER, offerSdp),
                observer(setRemote, "setRemoteDescription"));
        setRemote.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<RTCSessionDescription> answer = new CompletableFuture<>();
        peer.createAnswer(new dev.onvoid.webrtc.RTCAnswerOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                answer.complete(description);
            }

            @Override
            public void onFailure(String error) {
                answer.completeExceptionally(new IllegalStateException("createAnswer: " + error));
            }
        });
        RTCSessionDescription description = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<Void> setLocal = new CompletableFuture<>();
        peer.setLocalDescription(description, observer(setLocal, "setLocalDescription"));
        setLocal.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return localSdpAfterGathering(timeout);
    }

    void applyAnswer(String sdp, Duration timeout) throws Exception {
        CompletableFuture<Void> set = new CompletableFuture<>();
        peer.setRemoteDescription(new RTCSessionDescription(RTCSdpType.ANSWER, sdp), observer(set, "setRemoteDescription"));
        set.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        attachMeter();
    }

    /** The received track exists once the remote description is set; onTrack is not reported to an offerer. */
    private void attachMeter() {
        for (RTCRtpTransceiver transceiver : peer.getTransceivers()) {
            attachMeter(transceiver);
        }
    }

    private synchronized void attachMeter(RTCRtpTransceiver transceiver) {
        MediaStreamTrack t = transceiver.getReceiver().getTrack();
        if (t instanceof AudioTrack audio && !meterAttached) {
            meterAttached = true;
            audio.addSink(meter);
        }
    }

    /**
     * Starts feeding the tone in real time, 10 ms per frame. Call once connected. libwebrtc's send stream accepts audio
     * from one thread only, and the headless module starts its own capture thread when the send stream starts, which
     * can be after {@code connected}: so this waits (bounded) until the stream has sent audio, i.e. the module's
     * capture has started, then stops that capture and only then feeds the tone.
     */
    void startSending() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outboundPacketsSent() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("libwebrtc's send stream sent nothing within 10 s");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        deviceModule.stopRecording();
        feeder.scheduleAtFixedRate(this::pushFrame, 0, 10, TimeUnit.MILLISECONDS);
    }

    /** The outbound-rtp audio packetsSent, 0 before the send stream exists. */
    private long outboundPacketsSent() throws Exception {
        CompletableFuture<Long> out = new CompletableFuture<>();
        peer.getStats(report -> {
            for (RTCStats s : report.getStats().values()) {
                if (s.getType() == RTCStatsType.OUTBOUND_RTP && "audio".equals(s.getAttributes().get("kind"))) {
                    Object sent = s.getAttributes().get("packetsSent");
                    out.complete(sent instanceof Number n ? n.longValue() : 0L);
                    return;
                }
            }
            out.complete(0L);
        });
        return out.get(5, TimeUnit.SECONDS);
    }

    private void pushFrame() {
        byte[] pcm = new byte[FRAME * 2];
        for (int i = 0; i < FRAME; i++) {
            double t = (double) (samplesSent + i) / RATE;
            short v = (short) (sendHz == 0 ? 0 : 8000 * Math.sin(2 * Math.PI * sendHz * t));
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        samplesSent += FRAME;
        source.pushAudio(pcm, 16, RATE, 1, FRAME);
    }

    /** The candidate lines gathered so far ({@code candidate:...}), in order, across ICE restarts. */
    List<String> candidates() {
        return List.copyOf(candidates);
    }

    /** The transport's ICE state and local ufrag as libwebrtc reports them (RTCTransportStats). */
    Map<String, Object> transportStats(Duration timeout) throws Exception {
        CompletableFuture<Map<String, Object>> out = new CompletableFuture<>();
        peer.getStats(report -> {
            for (RTCStats s : report.getStats().values()) {
                if (s.getType() == RTCStatsType.TRANSPORT) {
                    out.complete(s.getAttributes());
                    return;
                }
            }
            out.complete(Map.of());
        });
        return out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    CompletableFuture<Void> connected() {
        return connected;
    }

    CompletableFuture<Void> failed() {
        return failed;
    }

    ToneMeter meter() {
        return meter;
    }

    /** The inbound-rtp audio statistics (packetsReceived, audioLevel, totalAudioEnergy, ...). */
    Map<String, Object> inboundAudioStats(Duration timeout) throws Exception {
        return audioStats(RTCStatsType.INBOUND_RTP, timeout);
    }

    /**
     * The audio stats of one type, e.g. {@code REMOTE_INBOUND_RTP}: what the far end's RTCP receiver reports say
     * about the stream libwebrtc sends (fraction lost, jitter, round-trip time); empty when there are none yet.
     */
    Map<String, Object> audioStats(RTCStatsType type, Duration timeout) throws Exception {
        CompletableFuture<Map<String, Object>> out = new CompletableFuture<>();
        peer.getStats(report -> {
            for (RTCStats s : report.getStats().values()) {
                if (s.getType() == type && "audio".equals(s.getAttributes().get("kind"))) {
                    out.complete(s.getAttributes());
                    return;
                }
            }
            out.complete(Map.of());
        });
        return out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    RTCPeerConnectionState state() {
        return peer.getConnectionState();
    }

    @Override
    public void close() {
        feeder.shutdownNow();
        try {
            feeder.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        peer.close();
        source.dispose();
        factory.dispose();
        deviceModule.dispose();
    }

    private static SetSessionDescriptionObserver observer(CompletableFuture<Void> done, String what) {
        return new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(what + ": " + error));
            }
        };
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            // Warmline is ICE-lite: it learns our address from our checks; kept for tests that trickle them.
            candidates.add(candidate.sdp);
        }

        @Override
        public void onIceGatheringChange(dev.onvoid.webrtc.RTCIceGatheringState state) {
            if (state == dev.onvoid.webrtc.RTCIceGatheringState.COMPLETE) {
                gathered.complete(null);
            }
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState state) {
            if (state == RTCPeerConnectionState.CONNECTED) {
                connected.complete(null);
            } else if (state == RTCPeerConnectionState.FAILED) {
                failed.complete(null);
            }
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            attachMeter(transceiver);
        }
    }

    /** Counts received 10 ms frames and those in which the expected tone dominates. */
    static final class ToneMeter implements AudioTrackSink {
        private final double hz;
        private final AtomicLong frames = new AtomicLong();
        private final AtomicLong toneFrames = new AtomicLong();
        private final CompletableFuture<Void> heard = new CompletableFuture<>();

        ToneMeter(double hz) {
            this.hz = hz;
        }

        @Override
        public void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frameCount) {
            if (bitsPerSample != 16 || frameCount <= 0) {
                return;
            }
            short[] mono = new short[frameCount];
            for (int i = 0; i < frameCount; i++) {
                int at = i * channels * 2;
                mono[i] = (short) ((data[at] & 0xFF) | data[at + 1] << 8);
            }
            frames.incrementAndGet();
            double ratio = Goertzel.toneRatio(mono, 0, frameCount, sampleRate, hz);
            if (ratio > 0.5 && Goertzel.energy(mono, 0, frameCount) > 1e5) {
                if (toneFrames.incrementAndGet() >= 50) {
                    heard.complete(null);
                }
            }
        }

        /** Completes once 50 frames (0.5 s) carried the tone. */
        CompletableFuture<Void> heard() {
            return heard;
        }

        long frames() {
            return frames.get();
        }

        long toneFrames() {
            return toneFrames.get();
        }
    }
}
