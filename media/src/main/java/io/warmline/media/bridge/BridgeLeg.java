package io.warmline.media.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.warmline.media.internal.LoopSnapshot;
import io.warmline.media.mix.MixGroup;
import io.warmline.media.mix.Participant;
import io.warmline.media.quality.CodecImpairment;
import io.warmline.media.quality.LegQuality;
import io.warmline.media.quality.OwnTiming;
import io.warmline.media.quality.StallLedger;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.transport.RtcpStats;
import io.warmline.media.transport.RtpEndpoint;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * One RTP leg terminated in a {@link MediaBridge}.
 *
 * <p>The two directions need not use one codec ({@link LegCodecs}, RFC 3264 §6.1): the leg sends one codec and
 * receives every agreed format, each packet decoded by its own payload type.
 *
 * <p><b>In:</b> RTP → telephone-event split (to the {@link TelephoneEventHandler}, RFC 4733) → payload type lookup
 * (unknown types counted and dropped) → jitter buffer → decode (G.711 of either law, frame by frame, with
 * pitch-repetition concealment on loss; Opus with its decoder's concealment and in-band FEC, at the rate its
 * listeners need) → the leg's mixer participant, at 8 kHz for G.711 (the mixer converts where a group needs);
 * each decoded frame also goes to the {@link PcmTap}s at 8 kHz. A switch between
 * G.711 and Opus starts a new jitter buffer and decoder ({@link LegReceiver}).
 *
 * <p><b>Out, each tick:</b> the mix this leg hears, read at the encoder's rate
 * ({@link io.warmline.media.mix.MixReader}) → {@link OutboundAudio} hook →
 * encode (one encode shared by legs that hear the same mix with the same codec and no hook) → packetize with this
 * leg's SSRC, sequence number and continuous timestamp (48 kHz RTP clock for Opus, RFC 7587 §4.1) → or the
 * {@link PacketInjector}'s packet instead → {@link RtpEndpoint#send}. Frames the Opus encoder's DTX marks as silence
 * are not sent; the next packet carries the marker bit (RFC 3551 §4.1).
 *
 * <p>Confined to the bridge's event loop. The setters may be called from any thread: off the loop they hop onto it
 * (asynchronously). Hooks are called with the tick's nominal time (its deadline on the 20 ms grid, in the bridge
 * clock's time base), so consecutive calls are exactly 20 ms apart.
 */
public final class BridgeLeg {

    /** Room for one RTP packet: header with CSRCs and extension, and the largest Opus payload. */
    static final int MAX_PACKET = 1500;
    private static final LegCodec.Encoding[] ENCODINGS = LegCodec.Encoding.values();

    private final MediaBridge bridge;
    private final String id;
    private final RtpEndpoint endpoint;
    private final long ssrc;
    private final short[] mixIn;
    private final byte[] scratch = new byte[MAX_PACKET];
    private final Inbound inbound = new Inbound();
    private final StallLedger stalls = new StallLedger();

    LegCodecs codecs;
    LegSender sender;
    LegReceiver receiver;
    /** By payload type: 1 + the ordinal of the received audio encoding, or 0 when not received. */
    private final byte[] receivedEncoding = new byte[128];
    private final boolean[] telephoneEventPt = new boolean[128];
    Participant participant;
    private TelephoneEventHandler telephoneEvents;
    private PcmTap[] taps = new PcmTap[0];
    private PacketInjector injector;
    private OutboundAudio outboundAudio;
    private Runnable noMediaHandler;
    private boolean removed;

    private int sequence;
    private long timestamp;
    private boolean marker = true;
    /** This tick's encode can be shared: encoded from the plain mix (no hook) and not injected. */
    boolean shareable;

    private long packetsIn;
    private long telephoneEventCount;
    private long telephoneEventsDropped;
    private long unknownPayloadType;
    private long malformed;
    private long framesDue;
    private long framesSent;
    private long injected;
    private long shared;
    private long lateFrames;
    private long codecChanges;
    private long receiveSwitches;
    private long dtxBefore;
    private long decodedBefore;
    private long concealedBefore;
    private long recoveredBefore;
    private long narrowBefore;

    BridgeLeg(MediaBridge bridge, String id, RtpEndpoint endpoint, LegCodecs codecs, SplittableRandom random) {
        this.bridge = bridge;
        this.id = id;
        this.endpoint = endpoint;
        this.ssrc = endpoint.localSsrc();
        this.codecs = codecs;
        this.sender = new LegSender(codecs.send());
        this.receiver = new LegReceiver(receivesOpusFirst(codecs), bridge.mixRate());
        mapPayloadTypes(codecs);
        this.mixIn = new short[bridge.frameSamples()];
        // RFC 3550 §5.1: random initial sequence number and timestamp
        this.sequence = random.nextInt(1 << 16);
        this.timestamp = random.nextLong(1L << 32);
    }

    public String id() {
        return id;
    }

    public RtpEndpoint endpoint() {
        return endpoint;
    }

    /** The codec this leg sends. Read it on the loop. */
    public LegCodec codec() {
        return sender.codec;
    }

    /** What this leg sends and receives. Read it on the loop. */
    public LegCodecs codecs() {
        return codecs;
    }

    /** The telephone-event payload type of the codec this leg sends, or -1. Read it on the loop. */
    public int telephoneEventPayloadType() {
        return sender.codec.telephoneEventPt();
    }

    /** The RTP clock rate of the codec this leg sends (8000, or 48000 for Opus). Read it on the loop. */
    public int clockRate() {
        return sender.codec.clockRate();
    }

    /**
     * RTP packets with the negotiated telephone-event payload type are split off before the jitter buffer and given
     * to {@code handler}, which releases them; without a handler they are released and counted.
     */
    public void setTelephoneEventHandler(TelephoneEventHandler handler) {
        bridge.onLoop(() -> telephoneEvents = handler);
    }

    /** Each decoded 20 ms frame of this leg at 8 kHz, every tick (silence as zeros, lost frames concealed). */
    public void addDecodedTap(PcmTap tap) {
        Objects.requireNonNull(tap, "tap");
        bridge.onLoop(() -> {
            if (taps.length == 0) {
                // ticks without taps do not resample for them: the first tap starts from a clean history
                receiver.resetTap();
            }
            PcmTap[] more = Arrays.copyOf(taps, taps.length + 1);
            more[taps.length] = tap;
            taps = more;
            receiver.catchUpTap(catchUp);
        });
    }

    public void removeDecodedTap(PcmTap tap) {
        bridge.onLoop(() -> {
            for (int i = 0; i < taps.length; i++) {
                if (taps[i] == tap) {
                    PcmTap[] fewer = new PcmTap[taps.length - 1];
                    System.arraycopy(taps, 0, fewer, 0, i);
                    System.arraycopy(taps, i + 1, fewer, i, taps.length - i - 1);
                    taps = fewer;
                    if (fewer.length == 0) {
                        receiver.catchUpTap(null);
                    }
                    return;
                }
            }
        });
    }

    /**
     * Consulted once per tick before encoding; when it writes a whole RTP packet into its buffer (with the given
     * sequence number and SSRC) that packet is sent instead of this tick's audio frame. Null removes it.
     */
    public void setPacketInjector(PacketInjector injector) {
        bridge.onLoop(() -> this.injector = injector);
    }

    /**
     * Consulted once per tick with this leg's mix at the encoder's input rate (8 kHz for G.711), before encoding;
     * may overwrite it. Null removes it. A leg with a hook encodes for itself (never shares an encode).
     */
    public void setOutboundAudio(OutboundAudio hook) {
        bridge.onLoop(() -> this.outboundAudio = hook);
    }

    /** Told on the loop when the endpoint reports no RTP for its timeout (see {@link RtpEndpoint.Listener}). */
    public void setNoMediaHandler(Runnable handler) {
        bridge.onLoop(() -> this.noMediaHandler = handler);
    }

    /** Switches to one codec both ways (see {@link #setCodecs}). */
    public void setCodec(LegCodec codec) {
        setCodecs(LegCodecs.symmetric(Objects.requireNonNull(codec, "codec")));
    }

    /**
     * Switches to another agreement (a re-INVITE's new answer). On the send side, a change of payload types only
     * keeps the encoder; a change of encoding starts a new one, the outbound sequence and timestamp continue, and the
     * first packet in the new format carries the marker bit. The receive side keeps its jitter buffer and decoder
     * while the new agreement still receives their family (G.711 or Opus); packets of payload types no longer agreed
     * are counted and dropped from then on.
     */
    public void setCodecs(LegCodecs next) {
        Objects.requireNonNull(next, "codecs");
        bridge.onLoop(() -> {
            if (codecs.equals(next)) {
                return;
            }
            codecChanges++;
            codecs = next;
            LegCodec current = sender.codec;
            if (current.sameAudio(next.send())) {
                sender = sender.withCodec(next.send());
            } else {
                dtxBefore += sender.dtxFrames();
                narrowBefore += sender.narrowFrames;
                sender = new LegSender(next.send());
                if (participant != null) {
                    participant.setListenRate(next.send().pcmRate());
                }
                marker = true;
            }
            mapPayloadTypes(next);
            boolean keep = false;
            for (LegCodec c : next.receive()) {
                keep |= receiver.accepts(c.encoding());
            }
            if (!keep) {
                switchReceiver(receivesOpusFirst(next));
            }
        });
    }

    private void mapPayloadTypes(LegCodecs c) {
        Arrays.fill(receivedEncoding, (byte) 0);
        Arrays.fill(telephoneEventPt, false);
        for (LegCodec r : c.receive()) {
            receivedEncoding[r.payloadType()] = (byte) (1 + r.encoding().ordinal());
            if (r.hasTelephoneEvent()) {
                telephoneEventPt[r.telephoneEventPt()] = true;
            }
        }
        if (c.send().hasTelephoneEvent() && receivedEncoding[c.send().telephoneEventPt()] == 0) {
            telephoneEventPt[c.send().telephoneEventPt()] = true;
        }
    }

    /** Which receiver a leg starts with: the family of the codec it sends when it receives that family too. */
    private static boolean receivesOpusFirst(LegCodecs c) {
        boolean sendsOpus = c.send().encoding() == LegCodec.Encoding.OPUS;
        for (LegCodec r : c.receive()) {
            if ((r.encoding() == LegCodec.Encoding.OPUS) == sendsOpus) {
                return sendsOpus;
            }
        }
        return c.receive().get(0).encoding() == LegCodec.Encoding.OPUS;
    }

    /** A new receiver for the other family: the peer switched between G.711 and Opus (its timeline restarts). */
    private LegReceiver switchReceiver(boolean opus) {
        LegReceiver old = receiver;
        decodedBefore += old.decodedFrames();
        concealedBefore += old.concealedFrames();
        recoveredBefore += old.recoveredFrames();
        malformed += old.malformedFrames();
        receiveSwitches++;
        LegReceiver r = new LegReceiver(opus, bridge.mixRate());
        if (taps.length > 0) {
            r.resetTap();
            r.catchUpTap(catchUp);
        }
        receiver = r;
        return r;
    }

    /** A snapshot of the counters. Off the loop it waits (briefly) for the loop to take it. */
    public BridgeLegStats stats() {
        return LoopSnapshot.take(bridge.eventLoop(), this::snapshot);
    }

    private BridgeLegStats snapshot() {
        LegReceiver r = receiver;
        var jitter = r.jitter.stats();
        RtcpStats rtcp = endpoint.rtcpStats();
        return new BridgeLegStats(packetsIn, telephoneEventCount, telephoneEventsDropped, unknownPayloadType,
                malformed + r.malformedFrames(), jitter, decodedBefore + r.decodedFrames(),
                concealedBefore + r.concealedFrames(), recoveredBefore + r.recoveredFrames(), framesDue, framesSent,
                injected, dtxBefore + sender.dtxFrames(), shared, lateFrames, codecChanges, receiveSwitches, rtcp,
                LegQuality.of(impairment(r.opus), impairment(sender.codec.encoding() == LegCodec.Encoding.OPUS),
                        jitter, stalls.ownDropsInBuffer(), rtcp, framesSent,
                        new OwnTiming(framesDue, lateFrames, stalls.skippedPeriods(), stalls.ownDrops())),
                sender.fecEnabled(), sender.fecLossPercent(), narrowBefore + sender.narrowFrames);
    }

    private static CodecImpairment impairment(boolean opus) {
        return opus ? CodecImpairment.OPUS : CodecImpairment.G711_PLC;
    }

    @Override
    public String toString() {
        return "BridgeLeg[" + id + "]";
    }

    // ---- called by the bridge, on the loop ----

    RtpEndpoint.Listener listener() {
        return inbound;
    }

    void markRemoved() {
        removed = true;
    }

    /** Joins the mixer as {@code p}: it listens no wider than the encoder's input. */
    void joined(Participant p) {
        participant = p;
        p.setListenRate(sender.codec.pcmRate());
    }

    /**
     * Plays this tick's frame out of the jitter buffer into the mixer, and to the taps. An Opus leg is decoded at the
     * widest rate a mix group heard it at in the last tick ({@link Participant#heardAtRate()}): 8 kHz when only
     * telephone-band listeners hear it.
     */
    void pull(long deadline) {
        LegReceiver r = receiver;
        r.decodeAt(participant.heardAtRate());
        boolean audio = r.pull(deadline, mixIn);
        stalls.observe(r.jitter, deadline);
        participant.setAudioRate(r.inboundAudioRate);
        if (audio) {
            if (r.switched) {
                participant.contributeSwitching(r.oldFrame, 0, r.oldRate, mixIn, 0, r.frameRate);
            } else {
                participant.contribute(mixIn, 0, r.frameRate);
            }
        }
        if (taps.length > 0) {
            toTaps(r.tapFrame(mixIn), r.tapLength, deadline);
        }
    }

    /** Received frames playout skipped after a stall, ahead of the tick's own frame (see LegReceiver#catchUpTap). */
    private final PcmTap catchUp = (pcm, offset, length, nowNanos) -> toTaps(pcm, length, nowNanos);

    private void toTaps(short[] frame, int length, long nowNanos) {
        for (PcmTap tap : taps) {
            try {
                tap.onFrame(frame, 0, length, nowNanos);
            } catch (RuntimeException e) {
                bridge.callbackFailed(this, "decoded tap", e);
            }
        }
    }

    /** Whether this leg, encoding this tick, could give its payload to {@code other}. */
    boolean canShareWith(BridgeLeg other) {
        return shareable && other.outboundAudio == null && participant.mix() == other.participant.mix()
                && sender.codec.sameAudio(other.sender.codec)
                && sender.encoderState() == other.sender.encoderState();
    }

    /**
     * Sends this tick's frame.
     *
     * @param sharedFrom a leg that already encoded the same mix with the same codec this tick, or null
     * @return whether this leg ran its encoder
     */
    boolean emit(long deadline, BridgeLeg sharedFrom) {
        framesDue++;
        shareable = false;
        LegSender p = sender;
        ByteBuf buf = ByteBufAllocator.DEFAULT.ioBuffer(MAX_PACKET);
        boolean encoded = false;
        try {
            PacketInjector inj = injector;
            if (inj != null) {
                boolean replaced;
                try {
                    replaced = inj.inject(deadline, timestamp, sequence, ssrc, buf);
                } catch (RuntimeException e) {
                    bridge.callbackFailed(this, "packet injector", e);
                    replaced = false;
                }
                if (replaced && buf.readableBytes() >= RtpHeader.FIXED_HEADER_LENGTH) {
                    injected++;
                    advance();
                    send(buf, deadline);
                    buf = null;
                    return false;
                }
                buf.clear();
            }
            byte[] payload;
            int length;
            if (sharedFrom != null) {
                payload = sharedFrom.sender.payload;
                length = sharedFrom.sender.payloadLength;
                shared++;
            } else {
                MixGroup mix = participant.mix();
                short[] pcm = p.toPcmRate(mix);
                OutboundAudio hook = outboundAudio;
                if (hook != null) {
                    try {
                        hook.process(pcm, 0, p.pcmFrame(), p.pcmRate(), deadline);
                    } catch (RuntimeException e) {
                        bridge.callbackFailed(this, "outbound audio hook", e);
                    }
                }
                length = p.encode(pcm, mix.audioRate());
                payload = p.payload;
                encoded = true;
                shareable = hook == null && length >= 0;
            }
            if (length <= 0) {
                // DTX silence (RFC 7587 §3.1.3) or an encoder failure: nothing this period, the clock moves on
                timestamp = (timestamp + p.codec.timestampIncrement()) & 0xFFFFFFFFL;
                marker = true;
                return encoded;
            }
            RtpHeader.writeHeader(buf, p.codec.payloadType(), marker, sequence, timestamp, ssrc);
            buf.writeBytes(payload, 0, length);
            marker = false;
            advance();
            send(buf, deadline);
            buf = null;
            return encoded;
        } finally {
            if (buf != null) {
                buf.release();
            }
        }
    }

    /**
     * Ticks skipped after a stall, the first due at {@code firstDeadline}: their frames are never sent, so late; the
     * timestamp keeps real time, and so does the inbound jitter buffer (it plays the skipped periods out unheard).
     */
    void skip(long frames, long firstDeadline) {
        receiver.skip(firstDeadline, frames);
        stalls.onSkipped(frames, LegCodec.FRAME_MILLIS * 1_000_000L, bridge.clock().nanoTime());
        framesDue += frames;
        lateFrames += frames;
        timestamp = (timestamp + frames * sender.codec.timestampIncrement()) & 0xFFFFFFFFL;
        marker = true;
    }

    private void advance() {
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + sender.codec.timestampIncrement()) & 0xFFFFFFFFL;
    }

    private void send(ByteBuf packet, long deadline) {
        framesSent++;
        endpoint.send(packet);
        if (bridge.clock().nanoTime() - deadline > MediaBridge.LATE_NANOS) {
            lateFrames++;
        }
    }

    long framesDue() {
        return framesDue;
    }

    long framesSent() {
        return framesSent;
    }

    long lateFrames() {
        return lateFrames;
    }

    /** Receives the endpoint's packets, on the loop. */
    private final class Inbound implements RtpEndpoint.Listener {

        @Override
        public void onRtp(RtpEndpoint from, ByteBuf packet) {
            try {
                if (removed) {
                    return;
                }
                packetsIn++;
                if (!RtpHeader.isValid(packet)) {
                    malformed++;
                    return;
                }
                int pt = RtpHeader.payloadType(packet);
                long now = bridge.clock().nanoTime();
                if (telephoneEventPt[pt]) {
                    TelephoneEventHandler handler = telephoneEvents;
                    if (handler == null) {
                        telephoneEventsDropped++;
                        return;
                    }
                    telephoneEventCount++;
                    ByteBuf handed = packet;
                    packet = null;
                    try {
                        handler.onTelephoneEvent(handed, now);
                    } catch (RuntimeException e) {
                        bridge.callbackFailed(BridgeLeg.this, "telephone-event handler", e);
                    }
                    return;
                }
                int code = receivedEncoding[pt];
                if (code == 0) {
                    unknownPayloadType++;
                    return;
                }
                LegCodec.Encoding encoding = ENCODINGS[code - 1];
                LegReceiver r = receiver;
                if (!r.accepts(encoding)) {
                    r = switchReceiver(encoding == LegCodec.Encoding.OPUS);
                }
                int length = RtpHeader.payloadLength(packet);
                if (length <= 0 || length > scratch.length) {
                    malformed++;
                    return;
                }
                packet.getBytes(RtpHeader.payloadOffset(packet), scratch, 0, length);
                r.offer(encoding, (int) RtpHeader.ssrc(packet), RtpHeader.sequence(packet), RtpHeader.timestamp(packet),
                        RtpHeader.marker(packet), scratch, length, now);
            } finally {
                if (packet != null) {
                    packet.release();
                }
            }
        }

        @Override
        public void onReceiverReport(RtpEndpoint from, ReportBlock aboutUs, long nowNanos) {
            if (!removed) {
                sender.onRemoteReport(aboutUs.fractionLost(), nowNanos);
            }
        }

        @Override
        public void onNoMedia(RtpEndpoint from) {
            Runnable handler = noMediaHandler;
            if (handler != null && !removed) {
                handler.run();
            }
        }
    }
}
