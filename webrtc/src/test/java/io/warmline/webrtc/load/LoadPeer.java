package io.warmline.webrtc.load;

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
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpSender;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated visitor: a libwebrtc peer connection (on the load client's shared factory) with one audio track
 * fed a tone in real time, whose offer goes to Warmline's WHIP endpoint, and whose received audio is judged frame by
 * frame (audible; carrying its own tone, which comes back when the SIP side echoes it).
 */
final class LoadPeer implements AutoCloseable {
    /** How the client's peers send and judge audio (chosen per run, the same for every peer). */
    record Settings(int feedRate, int feedBurst, int oddFeedBurst, int meterEvery, int maxBitrate) {
        Settings {
            if (feedBurst < 1 || feedBurst > 4 || oddFeedBurst < 1 || oddFeedBurst > 4) {
                throw new IllegalArgumentException("feed burst must be 1..4 frames: " + feedBurst + ", "
                        + oddFeedBurst);
            }
            if (feedRate != 8_000 && feedRate != 16_000 && feedRate != 32_000 && feedRate != 48_000) {
                throw new IllegalArgumentException("feed rate must be 8000, 16000, 32000 or 48000: " + feedRate);
            }
            if (meterEvery < 1 || meterEvery > 10) {
                throw new IllegalArgumentException("meter-every must be 1..10: " + meterEvery);
            }
            if (maxBitrate != 0 && (maxBitrate < 6_000 || maxBitrate > 510_000)) {
                throw new IllegalArgumentException("max bitrate must be 0 (none) or 6000..510000: " + maxBitrate);
            }
        }

        /** Frames pushed at once to peer {@code index}: odd-numbered peers may be fed differently (A/B in one run). */
        int burstOf(int index) {
            return index % 2 == 1 ? oddFeedBurst : feedBurst;
        }

        /** The feeder's round, in 10 ms units: the greatest common divisor of the two bursts. */
        int roundFrames() {
            int a = feedBurst;
            int b = oddFeedBurst;
            while (b != 0) {
                int t = a % b;
                a = b;
                b = t;
            }
            return a;
        }
    }

    private static final long STEP_TIMEOUT_SECONDS = 10;

    final int index;
    final String conversation;
    final double toneHz;
    private final Settings settings;
    private final byte[] frame;
    private final RTCPeerConnection peer;
    private final CustomAudioSource source = new CustomAudioSource();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final AtomicLong framesHeard = new AtomicLong();
    private final AtomicLong framesJudged = new AtomicLong();
    private final AtomicLong audibleFrames = new AtomicLong();
    private final AtomicLong toneFrames = new AtomicLong();
    private volatile boolean sinkAttached;
    private volatile boolean sending;
    private volatile RTCPeerConnectionState state = RTCPeerConnectionState.NEW;
    private final AtomicLong disconnects = new AtomicLong();

    /** Milliseconds from posting the offer to the 201 with the answer; -1 until then. */
    volatile double answerMillis = -1;
    /** Milliseconds from posting the offer to the connection state {@code connected} (ICE and DTLS done). */
    volatile double handshakeMillis = -1;
    /** Milliseconds from posting the escalation to its state {@code CONNECTED}. */
    volatile double escalationMillis = -1;
    volatile String failure;
    private String token;
    private String legLocation;
    private String escalationLocation;

    LoadPeer(PeerConnectionFactory factory, int index, String conversation, double toneHz, Settings settings) {
        this.index = index;
        this.conversation = conversation;
        this.toneHz = toneHz;
        this.settings = settings;
        this.frame = ToneFrames.toneFrame(settings.feedRate(), toneHz, 6000);
        AudioTrack track = factory.createAudioTrack("tone-" + index, source);
        RTCConfiguration config = new RTCConfiguration();
        config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
        config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
        peer = factory.createPeerConnection(config, new Observer());
        // addTrack, not addTransceiver: the transceiver is then sendrecv with a stream, as a browser's getUserMedia.
        peer.addTrack(track, List.of("visitor-" + index));
    }

    /** Mints a token, posts the offer, applies the answer and waits until ICE and DTLS are done. */
    void open(VoiceApiClient api) throws Exception {
        token = api.mintToken(conversation);
        CompletableFuture<RTCSessionDescription> offer = new CompletableFuture<>();
        peer.createOffer(new RTCOfferOptions(), new CreateSessionDescriptionObserver() {
            @Override
            public void onSuccess(RTCSessionDescription description) {
                offer.complete(description);
            }

            @Override
            public void onFailure(String error) {
                offer.completeExceptionally(new IllegalStateException("createOffer: " + error));
            }
        });
        RTCSessionDescription local = offer.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        set(local, true);
        long t0 = System.nanoTime();
        VoiceApiClient.Reply r = api.offer(conversation, token, local.sdp);
        answerMillis = (System.nanoTime() - t0) / 1e6;
        if (r.status() != 201) {
            throw new IllegalStateException("offer refused: " + r.describe());
        }
        legLocation = r.location();
        set(new RTCSessionDescription(RTCSdpType.ANSWER, r.body()), false);
        for (RTCRtpTransceiver t : peer.getTransceivers()) {
            attachSink(t);
            if (settings.maxBitrate() > 0) {
                capBitrate(t.getSender());
            }
        }
        connected.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        handshakeMillis = (System.nanoTime() - t0) / 1e6;
    }

    /** Asks Warmline to dial {@code target} into this visitor's conversation and waits until it is answered. */
    void escalate(VoiceApiClient api, String target, long deadlineNanos) throws Exception {
        long t0 = System.nanoTime();
        VoiceApiClient.Reply r = api.escalate(conversation, target);
        if (r.status() != 201 || r.location() == null) {
            throw new IllegalStateException("escalation refused: " + r.describe());
        }
        escalationLocation = r.location();
        String state = "";
        while (System.nanoTime() < deadlineNanos) {
            state = api.escalationState(escalationLocation);
            if (state.equals("CONNECTED")) {
                escalationMillis = (System.nanoTime() - t0) / 1e6;
                return;
            }
            if (!state.equals("REQUESTED") && !state.equals("DIALING") && !state.equals("RINGING")) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        throw new IllegalStateException("escalation not answered: " + state);
    }

    /** From now on {@link #pushFrames} feeds this peer's source (once it is connected and answered). */
    void startSending() {
        sending = failure == null;
    }

    /**
     * Called by the load client's feeder thread once per round ({@link Settings#roundFrames} x 10 ms): every
     * {@code burst / roundFrames}-th round, {@code burst} 10 ms frames of this peer's tone, so it is sent in real
     * time.
     */
    void pushFrames(long round) {
        int burst = settings.burstOf(index);
        if (round % (burst / settings.roundFrames()) != 0) {
            return;
        }
        for (int i = 0; i < burst && sending; i++) {
            source.pushAudio(frame, 16, settings.feedRate(), 1, settings.feedRate() / 100);
        }
    }

    /**
     * Counters of what this peer heard and sent, and libwebrtc's RTP statistics, at one moment ({@code nanos},
     * {@link System#nanoTime()} when they were read).
     */
    record Snapshot(long nanos, long framesHeard, long framesJudged, long audibleFrames, long toneFrames,
            long packetsSent, long packetsReceived, long packetsLost, double jitterSeconds, long concealedSamples,
            long totalSamplesReceived, long lostAtWarmline) {
    }

    /**
     * Asks libwebrtc for this peer's statistics; the snapshot is taken when they arrive (the frame counters too, so
     * both describe the same moment). A starved client answers late: a caller that waits for each peer in turn
     * stretches the time between the first and the last peer's snapshot, so every peer is judged over its own
     * interval ({@link Snapshot#nanos()}).
     */
    CompletableFuture<Snapshot> requestSnapshot() {
        CompletableFuture<Snapshot> done = new CompletableFuture<>();
        peer.getStats(report -> {
            long[] v = new long[6];
            double jitter = 0;
            for (RTCStats s : report.getStats().values()) {
                var a = s.getAttributes();
                if (s.getType() == RTCStatsType.OUTBOUND_RTP && "audio".equals(a.get("kind"))) {
                    v[0] = number(a.get("packetsSent"));
                } else if (s.getType() == RTCStatsType.REMOTE_INBOUND_RTP && "audio".equals(a.get("kind"))) {
                    // what Warmline's receiver reports (RTCP) of this peer's stream: libwebrtc's Opus encoder turns
                    // in-band FEC on when it reports loss, which makes every encode dearer
                    v[5] = number(a.get("packetsLost"));
                } else if (s.getType() == RTCStatsType.INBOUND_RTP && "audio".equals(a.get("kind"))) {
                    v[1] = number(a.get("packetsReceived"));
                    v[2] = number(a.get("packetsLost"));
                    v[3] = number(a.get("concealedSamples"));
                    v[4] = number(a.get("totalSamplesReceived"));
                    Object j = a.get("jitter");
                    jitter = j instanceof Number n ? n.doubleValue() : 0;
                }
            }
            done.complete(new Snapshot(System.nanoTime(), framesHeard.get(), framesJudged.get(), audibleFrames.get(),
                    toneFrames.get(), v[0], v[1], v[2], jitter, v[3], v[4], v[5]));
        });
        return done.orTimeout(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    boolean isConnected() {
        return state == RTCPeerConnectionState.CONNECTED;
    }

    /** Times the connection left {@code connected} (libwebrtc's transient {@code disconnected} included). */
    long disconnects() {
        return disconnects.get();
    }

    /** Hangs up through the API (the leg's location, with its token), then closes the peer connection. */
    void hangUp(VoiceApiClient api) {
        sending = false;
        if (legLocation != null) {
            try {
                api.delete(legLocation, token);
            } catch (Exception e) {
                if (failure == null) {
                    failure = "DELETE failed: " + e;
                }
            }
        }
    }

    @Override
    public void close() {
        sending = false;
        peer.close();
        source.dispose();
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private void set(RTCSessionDescription d, boolean local) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        SetSessionDescriptionObserver o = new SetSessionDescriptionObserver() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onFailure(String error) {
                done.completeExceptionally(new IllegalStateException(
                        (local ? "setLocalDescription: " : "setRemoteDescription: ") + error));
            }
        };
        if (local) {
            peer.setLocalDescription(d, o);
        } else {
            peer.setRemoteDescription(d, o);
        }
        done.get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The sender's own cap (RTCRtpSender.setParameters), as a page may set it; the answer is left as served. */
    private void capBitrate(RTCRtpSender sender) {
        RTCRtpSendParameters p = sender.getParameters();
        for (RTCRtpEncodingParameters e : p.encodings) {
            e.maxBitrate = settings.maxBitrate();
        }
        sender.setParameters(p);
    }

    /** The received track exists once the answer is set; an offerer is not told through onTrack. */
    private synchronized void attachSink(RTCRtpTransceiver transceiver) {
        MediaStreamTrack t = transceiver.getReceiver().getTrack();
        if (t instanceof AudioTrack audio && !sinkAttached) {
            sinkAttached = true;
            audio.addSink(new Meter());
        }
    }

    /**
     * Runs on libwebrtc's playout thread, once per 10 ms of received audio; judges every {@code meterEvery}-th frame
     * (a tone that is back is back in all of them), counting the others as heard only.
     */
    private final class Meter implements AudioTrackSink {
        private int skip;

        @Override
        public void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int frameCount) {
            if (bitsPerSample != 16 || frameCount <= 0 || channels <= 0) {
                return;
            }
            framesHeard.incrementAndGet();
            if (++skip < settings.meterEvery()) {
                return;
            }
            skip = 0;
            framesJudged.incrementAndGet();
            if (ToneFrames.meanSquare(data, channels, frameCount) > ToneFrames.AUDIBLE_MEAN_SQUARE) {
                audibleFrames.incrementAndGet();
                if (ToneFrames.toneShare(data, channels, frameCount, sampleRate, toneHz) > ToneFrames.TONE_SHARE) {
                    toneFrames.incrementAndGet();
                }
            }
        }
    }

    private final class Observer implements PeerConnectionObserver {
        @Override
        public void onIceCandidate(RTCIceCandidate candidate) {
            // Warmline is ICE-lite: it learns this peer's address from its connectivity checks.
        }

        @Override
        public void onConnectionChange(RTCPeerConnectionState s) {
            RTCPeerConnectionState before = state;
            state = s;
            if (s == RTCPeerConnectionState.CONNECTED) {
                connected.complete(null);
            } else if (s == RTCPeerConnectionState.FAILED || s == RTCPeerConnectionState.DISCONNECTED
                    || s == RTCPeerConnectionState.CLOSED) {
                if (before == RTCPeerConnectionState.CONNECTED && s != RTCPeerConnectionState.CLOSED) {
                    disconnects.incrementAndGet();
                }
                connected.completeExceptionally(new IllegalStateException("connection " + s));
            }
        }

        @Override
        public void onTrack(RTCRtpTransceiver transceiver) {
            attachSink(transceiver);
        }
    }
}
