package io.warmline.webrtc;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtcp.RtcpException;
import io.warmline.media.rtcp.RtcpPacket;
import io.warmline.media.rtcp.RtcpWriter;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.transport.RtcpSession;
import io.warmline.media.transport.RtcpStats;
import io.warmline.media.transport.RtpEndpoint;
import io.warmline.webrtc.demux.PacketKind;
import io.warmline.webrtc.dtls.DtlsCloseReason;
import io.warmline.webrtc.dtls.DtlsFailure;
import io.warmline.webrtc.dtls.DtlsHandshake;
import io.warmline.webrtc.dtls.DtlsHandshakeException;
import io.warmline.webrtc.dtls.DtlsRole;
import io.warmline.webrtc.ice.IceLeg;
import io.warmline.webrtc.ice.IcePath;
import io.warmline.webrtc.internal.AudioLevelExtension;
import io.warmline.webrtc.internal.HandshakeTimeline;
import io.warmline.webrtc.internal.HandshakeTimeline.Step;
import io.warmline.webrtc.sdp.AudioSelection;
import io.warmline.webrtc.sdp.IceCandidate;
import io.warmline.webrtc.sdp.IceCredentials;
import io.warmline.webrtc.sdp.TrickleFragment;
import io.warmline.webrtc.sdp.WebRtcAnswer;
import io.warmline.webrtc.srtp.SrtpKeys;
import io.warmline.webrtc.srtp.SrtpResult;
import io.warmline.webrtc.srtp.SrtpSession;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's audio over the shared WebRTC port: ICE-lite, DTLS-SRTP, then RTP as an {@link RtpEndpoint}.
 *
 * <p>Everything of the leg runs on {@link #eventLoop()} (its conversation's loop): the port's loop hands each packet
 * over, the DTLS pool hands the keys over. {@link #send} protects with SRTP and writes to the nominated path, or before
 * nomination to the validated path the browser's DTLS came from (RFC 8445 §12.1); nothing is sent before DTLS is done. Received SRTP is authenticated, replay-checked and decrypted
 * before the listener gets it. Consent loss (RFC 7675) or a DTLS close ends the leg ({@link Events#onEnded}).
 *
 * <p>RTCP (RFC 3550 §6, muxed on the RTP path per RFC 5761) runs from connection to end through an
 * {@link RtcpSession}, as on a plain UDP leg: SR or RR with SDES CNAME about every 5 s, protected with SRTCP
 * (RFC 3711 §3.4), a BYE when the leg is closed; received SRTCP is unprotected and read for the browser's reports
 * on our stream (loss, jitter, round-trip time), which also go to the listener
 * ({@link RtpEndpoint.Listener#onReceiverReport}).
 */
public final class WebRtcLeg implements RtpEndpoint {

    /** What a leg reports about itself, on its event loop. */
    public interface Events {
        /** DTLS-SRTP keyed on a path the browser's checks validated (nominated or not yet): media flows. */
        default void onConnected(WebRtcLeg leg) {
        }

        /** The leg ended by itself (not by {@link WebRtcLeg#close()}). */
        default void onEnded(WebRtcLeg leg, LegEndReason reason) {
        }
    }

    /** Most trickled candidates kept per leg. */
    public static final int MAX_REMOTE_CANDIDATES = 32;

    /** Longest wait between two looks at the RTCP deadline (the session's clock may not be the loop's). */
    private static final long RTCP_TIMER_MAX_NANOS = 1_000_000_000L;
    private static final long RTCP_TIMER_MIN_NANOS = 10_000_000L;
    private static final int RTCP_BUFFER = 256;

    private static final Logger log = LoggerFactory.getLogger(WebRtcLeg.class);
    /** One DEBUG line per leg with its {@link HandshakeTimeline}; a logger of its own so it can be enabled alone. */
    private static final Logger timelineLog = LoggerFactory.getLogger(WebRtcLeg.class.getName() + ".timeline");

    private final WebRtcEndpoint endpoint;
    private final EventLoop loop;
    private final String id;
    private final WebRtcAnswer answer;
    private final Events events;
    private final long localSsrc;
    private final String cname;
    private final long acceptedAtNanos;
    private final HandshakeTimeline timeline;
    private final List<IceCandidate> remoteCandidates = new ArrayList<>();
    private boolean remoteEndOfCandidates;

    private volatile IceCredentials localIce;
    private volatile IceCredentials remoteIce;

    private volatile IceLeg iceLeg;
    private volatile WebRtcLegState state = WebRtcLegState.CONNECTING;
    private final java.util.function.BooleanSupplier liveCheck = () -> state != WebRtcLegState.ENDED;
    private volatile IcePath dtlsPath;
    private volatile long handshakeNanos = -1;
    private volatile int audioLevel = AudioLevelExtension.ABSENT;
    private volatile long packetsReceived;
    private volatile long packetsSent;

    /** Made on the leg's loop (client role, after nomination) or on the port's loop (server role, first record). */
    private volatile DtlsHandshake dtls;
    private SrtpSession srtp;
    private IcePath nominated;
    private Listener listener;
    private ScheduledFuture<?> handshakeTimer;
    private RtcpSession rtcp;
    private ScheduledFuture<?> rtcpTimer;
    private boolean srtpSent;
    private boolean srtpReceived;

    WebRtcLeg(WebRtcEndpoint endpoint, EventLoop loop, String id, WebRtcAnswer answer, long localSsrc, String cname,
            Events events, long acceptedAtNanos) {
        this.endpoint = endpoint;
        this.loop = loop;
        this.id = id;
        this.answer = answer;
        this.localSsrc = localSsrc;
        this.cname = cname;
        this.events = events;
        this.acceptedAtNanos = acceptedAtNanos;
        this.timeline = new HandshakeTimeline(acceptedAtNanos);
        this.localIce = answer.localIce();
        this.remoteIce = answer.remoteIce();
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public long localSsrc() {
        return localSsrc;
    }

    /** For logs and metrics: unique on the endpoint. */
    public String id() {
        return id;
    }

    /** Our answer, as sent. */
    public String answerSdp() {
        return answer.sdp();
    }

    public WebRtcAnswer answer() {
        return answer;
    }

    /** The audio agreed: codec and payload types, telephone-event, the audio-level extension id. */
    public AudioSelection audio() {
        return answer.audio();
    }

    /** Our ICE ufrag: names the leg's ICE session (a WHIP ETag, RFC 9725 §4.3.1); new after an ICE restart. */
    public String localUfrag() {
        return localIce.ufrag();
    }

    public WebRtcLegState state() {
        return state;
    }

    /**
     * The codec for the bridge to terminate this leg with; for Opus, {@code opus} with in-band FEC only when the
     * browser said it decodes it (RFC 7587 §6.1 {@code useinbandfec}).
     */
    public LegCodec legCodec(OpusConfig opus) {
        AudioSelection a = answer.audio();
        OpusConfig config = a.isOpus() ? new OpusConfig(opus.sampleRate(), opus.frameMillis(), opus.bitrate(),
                opus.complexity(), opus.inbandFec() && a.remoteAcceptsFec(), opus.expectedLossPercent(), opus.dtx())
                : null;
        return LegCodec.of(a.codec().encoding(), a.codec().payloadType(), a.codec().clockRate(), a.telephoneEventPt(),
                config);
    }

    /** {@link #legCodec(OpusConfig)} with Opus voice settings at 16 kHz. */
    public LegCodec legCodec() {
        return legCodec(OpusConfig.voice(16000));
    }

    /**
     * How long the leg took from its offer's arrival ({@link WebRtcEndpoint#accept(String, EventLoop, Events, long)})
     * to DTLS done on a validated path (the ICE nomination may come later, {@link #handshakeTimeline()}), in
     * nanoseconds; -1 until then.
     */
    public long handshakeNanos() {
        return handshakeNanos;
    }

    /**
     * Where the handshake's time went, in milliseconds after the offer arrived: taken up on the leg's loop, answer
     * made, joined to the media and answer written (as its owner reports them), first authenticated check, first DTLS record received, DTLS started and its task running, first USE-CANDIDATE, nomination seen by the
     * leg, each handshake datagram sent, keys exported, connected, first SRTP packet out and in ({@code -} for steps
     * not reached). Logged once per leg at DEBUG on {@code io.warmline.webrtc.WebRtcLeg.timeline}.
     */
    public String handshakeTimeline() {
        return timeline.toString();
    }

    /** Its owner joined the leg to its media at {@code nowNanos} (the endpoint's clock); for the timeline only. */
    public void markJoined(long nowNanos) {
        timeline.mark(Step.JOINED, nowNanos);
    }

    /** The answer was written to the browser at {@code nowNanos} (the endpoint's clock); for the timeline only. */
    public void markAnswerSent(long nowNanos) {
        timeline.mark(Step.REPLIED, nowNanos);
    }

    /**
     * The last RFC 6464 audio level received (bits 0-6: level in -dBov, 127 = silence; bit 7: voice activity), or -1
     * when none arrived or the extension was not negotiated.
     */
    public int audioLevel() {
        return audioLevel;
    }

    /** Decrypted RTP packets handed to the listener. */
    public long packetsReceived() {
        return packetsReceived;
    }

    /** RTP packets protected and sent. */
    public long packetsSent() {
        return packetsSent;
    }

    /**
     * Applies a trickled {@code application/trickle-ice-sdpfrag} body (RFC 8840, RFC 9725 §4.3.2) of the current ICE
     * session. As an ICE-lite agent we send no checks (RFC 8445 §2.5): the browser's authenticated checks are what
     * validate a path, including from peer-reflexive addresses no candidate names (§7.3.1.3), so trickled candidates
     * are validated and kept for diagnosis, never used to refuse a check. Candidates whose IP address the endpoint's
     * peer filter ({@code webrtc.allowed-peers}) refuses are dropped and counted, like checks from there would be;
     * mDNS names cannot be checked without a lookup and are kept. {@code a=end-of-candidates} is recorded; later
     * candidates of the same session are refused. Thread-safe.
     *
     * @return the candidates kept
     * @throws BadCandidateException for an unreadable fragment, another ICE session's ufrag or mid, or candidates
     *     after {@code a=end-of-candidates}
     */
    public int addRemoteCandidates(String fragment) throws BadCandidateException {
        TrickleFragment f = parse(fragment);
        synchronized (remoteCandidates) {
            IceCredentials remote = remoteIce;
            if (f.ufrag() != null && !f.ufrag().equals(remote.ufrag())) {
                throw refused("a=ice-ufrag " + f.ufrag() + " is not the ICE session's (" + remote.ufrag()
                        + "); an ICE restart is a PATCH with If-Match: * (RFC 9725 §4.3.3)");
            }
            if (f.pwd() != null && !f.pwd().equals(remote.pwd())) {
                throw refused("a=ice-pwd is not the ICE session's; an ICE restart changes a=ice-ufrag as well");
            }
            checkMid(f);
            if (remoteEndOfCandidates && !f.candidates().isEmpty()) {
                throw refused("candidates after a=end-of-candidates (RFC 8838 §8.2); only an ICE restart adds more");
            }
            return keep(f);
        }
    }

    /**
     * Restarts ICE (RFC 9725 §4.3.3, RFC 8445 §9) with the browser's new credentials in {@code fragment}: we take new
     * local credentials; the old ones stay valid (their checks keep consent, RFC 7675) until the first check with the
     * new ones passes, so a restart the browser never completes leaves the leg on its old pair; media stays on the
     * selected path until the restarted checks nominate one. DTLS and SRTP are untouched (RFC 8842
     * §5: a restart is not a new DTLS association). The fragment's candidates replace those of the old session.
     * Call on {@link #eventLoop()}.
     *
     * @return our new credentials, to answer with ({@link #localFragment()})
     * @throws BadCandidateException when the fragment lacks new {@code a=ice-ufrag} and {@code a=ice-pwd} or is
     *     unreadable
     * @throws IllegalStateException when the leg has ended
     */
    public IceCredentials restartIce(String fragment) throws BadCandidateException {
        TrickleFragment f = parse(fragment);
        if (!f.hasCredentials()) {
            throw refused("an ICE restart needs the new a=ice-ufrag and a=ice-pwd (RFC 9725 §4.3.3)");
        }
        IceCredentials remote = f.credentials();
        if (remote.ufrag().equals(remoteIce.ufrag()) || remote.pwd().equals(remoteIce.pwd())) {
            throw refused("an ICE restart changes both a=ice-ufrag and a=ice-pwd (RFC 8839 §4.4.1.1.1)");
        }
        checkMid(f);
        if (state == WebRtcLegState.ENDED) {
            throw new IllegalStateException("WebRTC leg " + id + " has ended");
        }
        IceCredentials old = localIce;
        IceCredentials local = endpoint.restartIce(this, old, remote);
        synchronized (remoteCandidates) {
            localIce = local;
            remoteIce = remote;
            remoteCandidates.clear();
            remoteEndOfCandidates = false;
            keep(f);
        }
        log.info("WebRTC leg {}: ICE restart, ufrag {} -> {}", id, old.ufrag(), local.ufrag());
        return local;
    }

    /**
     * Our ICE credentials as an {@code application/trickle-ice-sdpfrag} body (RFC 9725 §4.3.3: the answer to an ICE
     * restart), with {@code a=ice-lite}; candidates are unchanged and not repeated.
     */
    public String localFragment() {
        IceCredentials local = localIce;
        return "a=ice-lite\r\na=ice-ufrag:" + local.ufrag() + "\r\na=ice-pwd:" + local.pwd() + "\r\n";
    }

    /** Our current ICE credentials (new after each restart). */
    public IceCredentials localIce() {
        return localIce;
    }

    /** The browser's current ICE credentials. */
    public IceCredentials remoteIce() {
        return remoteIce;
    }

    /** The trickled candidates kept so far (of the current ICE session). */
    public List<IceCandidate> remoteCandidates() {
        synchronized (remoteCandidates) {
            return List.copyOf(remoteCandidates);
        }
    }

    /** True once the browser said {@code a=end-of-candidates} for the current ICE session. */
    public boolean remoteEndOfCandidates() {
        synchronized (remoteCandidates) {
            return remoteEndOfCandidates;
        }
    }

    private TrickleFragment parse(String fragment) throws BadCandidateException {
        try {
            return TrickleFragment.parse(fragment);
        } catch (BadCandidateException e) {
            endpoint.counters().fragmentsRefused.increment();
            throw e;
        }
    }

    private BadCandidateException refused(String detail) {
        endpoint.counters().fragmentsRefused.increment();
        return new BadCandidateException(detail);
    }

    /** RFC 8840 §4.4: the fragment's m= section is known by its mid (any of the offer's, as answered). */
    private void checkMid(TrickleFragment f) throws BadCandidateException {
        if (f.mid() == null) {
            return;
        }
        for (var m : answer.description().media()) {
            if (m.attribute("mid").map(f.mid()::equals).orElse(false)) {
                return;
            }
        }
        throw refused("a=mid " + f.mid() + " names no m= section of the session");
    }

    /** Keeps the fragment's candidates that the peer filter allows, within the bound; under the caller's lock. */
    private int keep(TrickleFragment f) {
        int kept = 0;
        for (IceCandidate c : f.candidates()) {
            java.util.Optional<java.net.InetAddress> ip = c.ipAddress();
            if (ip.isPresent() && !endpoint.options().peerFilter().test(ip.get())) {
                endpoint.counters().candidatesRefused.increment();
                log.debug("WebRTC leg {}: trickled candidate {} is outside webrtc.allowed-peers", id, c.address());
                continue;
            }
            if (remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
                endpoint.counters().candidatesRefused.increment();
                continue;
            }
            remoteCandidates.add(c);
            endpoint.counters().candidatesAccepted.increment();
            kept++;
        }
        if (f.endOfCandidates() && !remoteEndOfCandidates) {
            remoteEndOfCandidates = true;
            log.debug("WebRTC leg {}: end of the browser's candidates", id);
        }
        return kept;
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** RTCP statistics from connection on, or null before it. Call on {@link #eventLoop()}. */
    @Override
    public RtcpStats rtcpStats() {
        RtcpSession r = rtcp;
        return r == null ? null : r.stats(answer.audio().codec().clockRate());
    }

    /** Protects and sends one RTP packet on the media path ({@link #mediaPath}); takes ownership. Call on {@link #eventLoop()}. */
    @Override
    public void send(ByteBuf rtpPacket) {
        ByteBuf packet = rtpPacket;
        try {
            IcePath path = mediaPath(endpoint.clock().nanoTime());
            if (state != WebRtcLegState.CONNECTED || path == null) {
                endpoint.counters().sendDropped.increment();
                return;
            }
            long now = endpoint.clock().nanoTime();
            boolean rtp = packet.readableBytes() >= RtpHeader.FIXED_HEADER_LENGTH;
            long timestamp = rtp ? RtpHeader.timestamp(packet) : 0;
            int payload = rtp ? packet.readableBytes() - RtpHeader.headerLength(packet) : 0;
            SrtpResult r = srtp.protectRtp(packet);
            if (r != SrtpResult.OK) {
                endpoint.counters().sendDropped.increment();
                return;
            }
            if (rtp) {
                rtcp.onRtpSent(timestamp, payload, now);
            }
            packetsSent++;
            boolean first = !srtpSent;
            if (first) {
                srtpSent = true;
                timeline.mark(Step.FIRST_SRTP_OUT, now);
            }
            endpoint.transmitFromLeg(this, path, packet);
            packet = null;
            if (first) {
                maybeLogTimeline();
            }
        } finally {
            if (packet != null) {
                packet.release();
            }
        }
    }

    /** Ends the leg: DTLS close_notify when established, the ICE registration removed. Idempotent, thread-safe. */
    public void close() {
        run(() -> end(LegEndReason.CLOSED));
    }

    @Override
    public String toString() {
        return "WebRtcLeg[" + id + ", " + state + "]";
    }

    // ---- package-private: the endpoint's hand-overs (any thread) and what they run on the leg's loop ----

    void registered(IceLeg leg) {
        this.iceLeg = leg;
    }

    IceLeg iceLeg() {
        return iceLeg;
    }

    /** Whether the leg has not ended; any thread (the port's loop asks it before writing a batched packet). */
    java.util.function.BooleanSupplier liveCheck() {
        return liveCheck;
    }

    HandshakeTimeline timeline() {
        return timeline;
    }

    void start() {
        run(() -> {
            if (state == WebRtcLegState.CONNECTING) {
                handshakeTimer = loop.schedule(() -> {
                    if (state == WebRtcLegState.CONNECTING) {
                        log.info("WebRTC leg {}: no ICE nomination and DTLS within the bound", id);
                        end(LegEndReason.HANDSHAKE_TIMEOUT);
                    }
                }, endpoint.options().handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        });
    }

    void deliverNominated(IcePath path) {
        run(() -> onNominated(path));
    }

    void deliverEnd(LegEndReason reason) {
        run(() -> end(reason));
    }

    /**
     * On the port's loop: a DTLS record from a path the browser's checks validated. While the handshake runs it goes
     * straight to the handshake's queue, and the server side starts here on the first record: a hop through the
     * leg's loop, which also mixes its conversation, cost up to 20 ms per flight during a ramp of 30 legs. Records
     * after the handshake are processed on the leg's loop.
     */
    void deliverDtls(byte[] datagram, IcePath path) {
        if (state == WebRtcLegState.ENDED) {
            return;
        }
        DtlsHandshake d = dtls;
        if (d == null && !answer.dtlsClient()) {
            d = startDtls(DtlsRole.SERVER, path);
        }
        if (d != null && d.offerDuringHandshake(datagram)) {
            dtlsPath = path;
            return;
        }
        run(() -> onDtls(datagram, path));
    }

    /** Takes ownership of {@code packet}. */
    void deliverMedia(ByteBuf packet, IcePath path, PacketKind kind) {
        try {
            loop.execute(() -> onMedia(packet, path, kind));
        } catch (RejectedExecutionException e) {
            packet.release();
        }
    }

    /** On the leg's loop: a media packet the port's loop read (takes ownership). */
    void receiveMedia(ByteBuf packet, IcePath path, PacketKind kind) {
        onMedia(packet, path, kind);
    }

    private void run(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("WebRTC leg {}: its loop is shut down", id);
        }
    }

    private void onNominated(IcePath path) {
        if (state == WebRtcLegState.ENDED) {
            return;
        }
        nominated = path;
        timeline.mark(Step.NOMINATED, endpoint.clock().nanoTime());
        if (dtls == null && answer.dtlsClient()) {
            startDtls(DtlsRole.CLIENT, path);
        }
        maybeConnected();
    }

    private void onDtls(byte[] datagram, IcePath path) {
        if (state == WebRtcLegState.ENDED) {
            return;
        }
        DtlsHandshake d = dtls;
        if (d == null) {
            // As the client we open the association after nomination; a stray record before it is dropped.
            endpoint.counters().dtlsUnknownAddress.increment();
            return;
        }
        dtlsPath = path;
        d.offerDatagram(datagram);
    }

    /** Starts the handshake; the server side on the port's loop, the client side on the leg's loop. */
    private DtlsHandshake startDtls(DtlsRole role, IcePath path) {
        dtlsPath = path;
        timeline.mark(Step.DTLS_STARTED, endpoint.clock().nanoTime());
        DtlsHandshake mine = DtlsHandshake.start(role, List.of(answer.remoteFingerprint()), endpoint.certificate(),
                bytes -> {
                    IcePath p = dtlsPath;
                    if (p != null) {
                        if (state == WebRtcLegState.CONNECTING) {
                            timeline.flightSent(endpoint.clock().nanoTime());
                        }
                        endpoint.transmit(p, io.netty.buffer.Unpooled.wrappedBuffer(bytes));
                    }
                }, endpoint.handshakePool(), endpoint.options().dtls(),
                () -> timeline.mark(Step.DTLS_RUNNING, endpoint.clock().nanoTime()));
        dtls = mine;
        mine.keys().whenComplete((keys, failure) -> {
            if (keys != null) {
                timeline.mark(Step.KEYS, endpoint.clock().nanoTime());
            }
            run(() -> onHandshakeDone(mine, keys, failure));
        });
        mine.closed().whenComplete((reason, failure) -> run(() -> onDtlsClosed(mine, reason)));
        if (state == WebRtcLegState.ENDED) {
            // end() on the leg's loop may have looked at dtls before it was set (both fields are volatile).
            mine.close();
        }
        return mine;
    }

    private void onHandshakeDone(DtlsHandshake which, SrtpKeys keys, Throwable failure) {
        if (which != dtls || state == WebRtcLegState.ENDED) {
            if (keys != null) {
                keys.destroy();
            }
            return;
        }
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            endpoint.counters().dtlsFailures.increment();
            if (cause instanceof DtlsHandshakeException e && (e.reason() == DtlsFailure.FINGERPRINT_MISMATCH
                    || e.reason() == DtlsFailure.NO_PEER_CERTIFICATE)) {
                endpoint.counters().fingerprintMismatches.increment();
            }
            log.info("WebRTC leg {}: DTLS handshake failed: {}", id, cause.getMessage());
            end(LegEndReason.DTLS_FAILED);
            return;
        }
        srtp = SrtpSession.create(keys);
        keys.destroy();
        which.drainQueued();
        maybeConnected();
    }

    private void onDtlsClosed(DtlsHandshake which, DtlsCloseReason reason) {
        if (which != dtls || state == WebRtcLegState.ENDED || reason == DtlsCloseReason.LOCAL_CLOSE
                || reason == DtlsCloseReason.HANDSHAKE_FAILED) {
            return;
        }
        log.info("WebRTC leg {}: DTLS ended ({})", id, reason);
        end(LegEndReason.DTLS_CLOSED);
    }

    /**
     * The nominated path while consent holds; before nomination, the path the browser's DTLS came from, which its
     * authenticated checks validated (RFC 8445 §12.1: data may flow on a valid pair before nomination). Waiting for
     * the nomination instead cost about 40 ms per leg with libwebrtc, which nominates on a later check.
     */
    private IcePath mediaPath(long now) {
        IceLeg ice = iceLeg;
        if (ice == null) {
            return null;
        }
        IcePath path = ice.sendPath(now);
        return path == null && ice.validBeforeNomination(now) ? dtlsPath : path;
    }

    /** Media is taken from the path {@link #mediaPath} sends to: the nominated one, or before it the DTLS one. */
    private boolean acceptsMediaFrom(IcePath path, long now) {
        IceLeg ice = iceLeg;
        if (ice == null) {
            return false;
        }
        return ice.acceptsMediaFrom(path, now) || ice.validBeforeNomination(now) && path.equals(dtlsPath);
    }

    private void maybeConnected() {
        if (state != WebRtcLegState.CONNECTING || srtp == null) {
            return;
        }
        IcePath on = nominated;
        if (on == null) {
            // DTLS finished on a path the browser's checks validated: media may start before USE-CANDIDATE.
            on = mediaPath(endpoint.clock().nanoTime());
            if (on == null) {
                return;
            }
        }
        state = WebRtcLegState.CONNECTED;
        long took = endpoint.clock().nanoTime() - acceptedAtNanos;
        timeline.mark(Step.CONNECTED, acceptedAtNanos + took);
        handshakeNanos = took;
        endpoint.counters().legsConnected.increment();
        endpoint.counters().handshake(took);
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        log.info("WebRTC leg {}: connected on {} in {} ms ({}{})", id, on, took / 1_000_000,
                answer.audio().codec().rtpmap(), nominated == null ? ", before nomination" : "");
        long now = endpoint.clock().nanoTime();
        rtcp = new RtcpSession(localSsrc, cname, new SplittableRandom(), now, System.currentTimeMillis() * 1_000_000L);
        scheduleRtcp(now);
        try {
            events.onConnected(this);
        } catch (RuntimeException e) {
            log.warn("WebRTC leg {}: onConnected failed", id, e);
        }
    }

    private void onMedia(ByteBuf packet, IcePath path, PacketKind kind) {
        ByteBuf p = packet;
        try {
            if (state != WebRtcLegState.CONNECTED || !acceptsMediaFrom(path, endpoint.clock().nanoTime())) {
                endpoint.counters().mediaNotReady.increment();
                return;
            }
            SrtpResult r = kind == PacketKind.RTP ? srtp.unprotectRtp(p) : srtp.unprotectRtcp(p);
            if (r != SrtpResult.OK) {
                switch (r) {
                    case AUTH_FAILED -> endpoint.counters().srtpAuthFailed.increment();
                    case REPLAYED -> endpoint.counters().srtpReplayed.increment();
                    default -> endpoint.counters().srtpOtherDrops.increment();
                }
                if (kind != PacketKind.RTP) {
                    rtcp.countMalformed();
                }
                return;
            }
            long now = endpoint.clock().nanoTime();
            if (kind != PacketKind.RTP) {
                onRtcp(p, now);
                return;
            }
            if (!srtpReceived) {
                srtpReceived = true;
                timeline.mark(Step.FIRST_SRTP_IN, now);
                maybeLogTimeline();
            }
            if (RtpHeader.isValid(p)) {
                rtcp.onRtpReceived(RtpHeader.ssrc(p), RtpHeader.sequence(p), RtpHeader.timestamp(p),
                        answer.audio().codec().clockRate(), now);
            }
            int extension = answer.audio().audioLevelExtensionId();
            if (extension > 0) {
                int level = AudioLevelExtension.read(p, extension);
                if (level != AudioLevelExtension.ABSENT) {
                    audioLevel = level;
                }
            }
            Listener l = listener;
            if (l == null) {
                return;
            }
            packetsReceived++;
            ByteBuf handed = p;
            p = null;
            l.onRtp(this, handed);
        } finally {
            if (p != null) {
                p.release();
            }
        }
    }

    /** SRTCP already removed: the compound feeds the session; a report about our stream goes to the listener. */
    private void onRtcp(ByteBuf compound, long now) {
        ReportBlock aboutUs;
        try {
            aboutUs = rtcp.onRtcp(compound, now);
        } catch (RtcpException e) {
            log.debug("WebRTC leg {}: malformed RTCP dropped: {}", id, e.getMessage());
            return;
        }
        Listener l = listener;
        if (aboutUs != null && l != null) {
            try {
                l.onReceiverReport(this, aboutUs, now);
            } catch (RuntimeException e) {
                log.warn("WebRTC leg {}: report listener failed", id, e);
            }
        }
    }

    private void scheduleRtcp(long now) {
        long delay = Math.max(RTCP_TIMER_MIN_NANOS, Math.min(RTCP_TIMER_MAX_NANOS, rtcp.nextDeadline() - now));
        try {
            rtcpTimer = loop.schedule(this::onRtcpTimer, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("WebRTC leg {}: its loop is shut down", id);
        }
    }

    private void onRtcpTimer() {
        if (state != WebRtcLegState.CONNECTED) {
            return;
        }
        long now = endpoint.clock().nanoTime();
        List<RtcpPacket> compound = rtcp.poll(now, answer.audio().codec().clockRate());
        if (compound != null) {
            sendRtcp(compound, now);
        }
        scheduleRtcp(now);
    }

    /** Writes, protects (SRTCP, RFC 3711 §3.4) and sends one compound on the media path. */
    private void sendRtcp(List<RtcpPacket> compound, long now) {
        sendRtcp(compound, now, true);
    }

    private void sendRtcp(List<RtcpPacket> compound, long now, boolean batched) {
        IcePath path = mediaPath(now);
        if (path == null || srtp == null) {
            return;
        }
        ByteBuf buf = io.netty.buffer.ByteBufAllocator.DEFAULT.ioBuffer(RTCP_BUFFER + srtp.rtcpOverhead());
        try {
            RtcpWriter.writeCompound(compound, buf);
            if (srtp.protectRtcp(buf) != SrtpResult.OK) {
                endpoint.counters().sendDropped.increment();
                return;
            }
            rtcp.onSent();
            if (batched) {
                endpoint.transmitFromLeg(this, path, buf);
            } else {
                endpoint.transmit(path, buf);
            }
            buf = null;
        } catch (RuntimeException e) {
            log.warn("WebRTC leg {}: could not write RTCP", id, e);
        } finally {
            if (buf != null) {
                buf.release();
            }
        }
    }

    private void end(LegEndReason reason) {
        if (state == WebRtcLegState.ENDED) {
            return;
        }
        WebRtcLegState was = state;
        if (was == WebRtcLegState.CONNECTED && reason == LegEndReason.CLOSED) {
            // RFC 3550 §6.6: a BYE (after a last report) tells the browser the stream ends
            long now = endpoint.clock().nanoTime();
            // written directly, not through the call loop's batch: the leg has ended by the time that is written
            sendRtcp(rtcp.bye(now, answer.audio().codec().clockRate()), now, false);
        }
        state = WebRtcLegState.ENDED;
        if (rtcpTimer != null) {
            rtcpTimer.cancel(false);
        }
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
        }
        if (dtls != null) {
            dtls.close();
        }
        if (srtp != null) {
            srtp.close();
        }
        endpoint.unregister(this);
        endpoint.counters().legsEnded.increment();
        logTimeline();
        log.info("WebRTC leg {}: ended ({}) after {}", id, reason.code(), was);
        if (reason != LegEndReason.CLOSED) {
            try {
                events.onEnded(this, reason);
            } catch (RuntimeException e) {
                log.warn("WebRTC leg {}: onEnded failed", id, e);
            }
        }
    }

    /** Once SRTP has flowed both ways the handshake is over: its timeline is complete. */
    private void maybeLogTimeline() {
        if (srtpSent && srtpReceived) {
            logTimeline();
        }
    }

    private void logTimeline() {
        if (timelineLog.isDebugEnabled() && timeline.claimLog()) {
            timelineLog.debug("WebRTC leg {}: handshake timeline, ms after the offer arrived: {}", id, timeline);
        }
    }

    static Events noEvents() {
        return new Events() {
        };
    }
}
