package io.warmline.webrtc.warmup;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.warmline.media.rtcp.RtcpPacket;
import io.warmline.media.rtcp.RtcpException;
import io.warmline.media.rtcp.RtcpWriter;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.RtcpSession;
import io.warmline.webrtc.demux.PacketKind;
import io.warmline.webrtc.demux.Rfc7983Demux;
import io.warmline.webrtc.dtls.DtlsCertificate;
import io.warmline.webrtc.dtls.DtlsConfig;
import io.warmline.webrtc.dtls.DtlsHandshake;
import io.warmline.webrtc.dtls.DtlsRole;
import io.warmline.webrtc.sdp.DtlsFingerprint;
import io.warmline.webrtc.sdp.IceCredentials;
import io.warmline.webrtc.sdp.WebRtcOffer;
import io.warmline.webrtc.srtp.SrtpKeys;
import io.warmline.webrtc.srtp.SrtpResult;
import io.warmline.webrtc.srtp.SrtpSession;
import io.warmline.webrtc.stun.StunDecoder;
import io.warmline.webrtc.stun.StunMessage;
import io.warmline.webrtc.stun.StunMessageBuilder;
import io.warmline.webrtc.stun.StunParseResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The browser's side of one WebRTC leg of the node's own warm-up, built from the node's protocol parts on a loopback
 * datagram channel: ICE checks with USE-CANDIDATE and the leg's short-term credentials (RFC 8445 §7.2.2, §8.1.1),
 * the DTLS client (RFC 5763 §5), SRTP and SRTCP (RFC 3711), Opus RTP with an RFC 6464 level, and RTCP reports from a
 * {@link RtcpSession}. Its credentials are random per peer and its socket is on loopback, so nothing outside the
 * process can take its place.
 *
 * <p>Not thread-safe: after {@link #open} every method is called on the peer's loop (the DTLS handshake runs on the
 * given executor and hands its datagrams back through the channel, which is thread-safe).
 */
public final class WarmUpPeer implements AutoCloseable {

    /** Opus RTP payload type of the offer. */
    public static final int OPUS_PT = 111;
    /** How often the peer repeats its check until answered, and refreshes consent afterwards (RFC 7675 §5.1). */
    private static final long CHECK_RETRY_NANOS = 50_000_000L;
    private static final long CONSENT_NANOS = 1_000_000_000L;
    private static final int RTP_HEADER = 12;
    /** One-byte header extension with the audio level (RFC 8285 §4.2, RFC 6464): 4 bytes of profile, 4 of data. */
    private static final int EXTENSION = 8;

    private final EventLoop loop;
    private final NanoClock clock;
    private final Executor dtlsPool;
    private final DtlsCertificate certificate;
    private final IceCredentials ice = IceCredentials.random();
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
    private final Rfc7983Demux demux = new Rfc7983Demux();
    private final long ssrc;
    private final RtcpSession rtcp;
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private Channel channel;
    private InetSocketAddress target;
    private IceCredentials remoteIce;
    private DtlsFingerprint remoteFingerprint;
    private volatile DtlsHandshake dtls;
    private SrtpSession srtp;
    private boolean checkAnswered;
    private long nextCheckNanos;
    private int sequence;
    private long timestamp;
    private long packetsSent;
    private long packetsReceived;
    private long rtcpReceived;
    private long dropped;
    private boolean closed;

    private WarmUpPeer(EventLoop loop, NanoClock clock, Executor dtlsPool, DtlsCertificate certificate) {
        this.loop = loop;
        this.clock = clock;
        this.dtlsPool = dtlsPool;
        this.certificate = certificate;
        this.ssrc = 1 + random.nextLong(0xFFFF_FFFEL);
        this.sequence = random.nextInt(1 << 16);
        this.timestamp = random.nextLong(1L << 32);
        this.rtcp = new RtcpSession(ssrc, "warm-up", random, clock.nanoTime(), System.currentTimeMillis() * 1_000_000L);
    }

    /**
     * Binds a datagram channel on the loopback address, registered on {@code loop}. Call off the loop (it waits for
     * the bind).
     *
     * @param clock the time base of received packets (the node's)
     * @param dtlsPool where the DTLS client's blocking handshake runs
     * @param certificate the peer's certificate (its fingerprint goes in the offer)
     */
    public static WarmUpPeer open(EventLoop loop, NanoClock clock, Executor dtlsPool, DtlsCertificate certificate) {
        Objects.requireNonNull(loop, "loop");
        WarmUpPeer peer = new WarmUpPeer(loop, clock, dtlsPool, certificate);
        peer.channel = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 1 << 18)
                .handler(peer.new Handler())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
        return peer;
    }

    /** An offer in a browser's shape: BUNDLE, rtcp-mux, Opus and telephone-event, the audio-level extension. */
    public String offer() {
        return "v=0\r\no=- " + (1 + random.nextLong(Long.MAX_VALUE - 1)) + " 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF " + OPUS_PT + " 110\r\nc=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:" + ice.ufrag() + "\r\na=ice-pwd:" + ice.pwd() + "\r\n"
                + "a=fingerprint:" + certificate.fingerprint() + "\r\na=setup:actpass\r\na=mid:0\r\n"
                + "a=extmap:1 " + WebRtcOffer.AUDIO_LEVEL_URI + "\r\na=sendrecv\r\na=rtcp-mux\r\n"
                + "a=rtpmap:" + OPUS_PT + " opus/48000/2\r\na=fmtp:" + OPUS_PT + " minptime=10;useinbandfec=1\r\n"
                + "a=rtpmap:110 telephone-event/48000\r\na=ssrc:" + ssrc + " cname:warm-up\r\n";
    }

    /**
     * Starts checking {@code target} with the leg's credentials; once a check is answered, opens DTLS as the client
     * against {@code fingerprint}. Call on the loop, then {@link #tick} every 20 ms.
     *
     * @return completes when SRTP keys are in place (exceptionally when DTLS fails)
     */
    public CompletableFuture<Void> connect(InetSocketAddress target, IceCredentials legIce, DtlsFingerprint fingerprint) {
        this.target = Objects.requireNonNull(target, "target");
        this.remoteIce = Objects.requireNonNull(legIce, "legIce");
        this.remoteFingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        sendCheck();
        return connected;
    }

    /**
     * One 20 ms step: a check while unanswered (and every second as consent), then, once connected, one RTP packet
     * of {@code opus} (length {@code length}) and RTCP when its interval is due.
     */
    public void tick(long nowNanos, byte[] opus, int length) {
        if (closed || target == null) {
            return;
        }
        if (nowNanos - nextCheckNanos >= 0) {
            sendCheck();
            nextCheckNanos = nowNanos + (checkAnswered ? CONSENT_NANOS : CHECK_RETRY_NANOS);
        }
        if (srtp == null) {
            return;
        }
        ByteBuf rtp = channel.alloc().buffer(RTP_HEADER + EXTENSION + length + srtp.rtpOverhead());
        rtp.writeByte(0x90).writeByte(OPUS_PT).writeShort(sequence).writeInt((int) timestamp).writeInt((int) ssrc);
        rtp.writeShort(0xBEDE).writeShort(1).writeByte(0x10).writeByte(0x80 | 40).writeShort(0);
        rtp.writeBytes(opus, 0, length);
        rtcp.onRtpSent(timestamp, length, nowNanos);
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + 960) & 0xFFFF_FFFFL;
        send(rtp, true);
        packetsSent++;
        if (nowNanos - rtcp.nextDeadline() >= 0) {
            List<RtcpPacket> reports = rtcp.poll(nowNanos, 48_000);
            if (!reports.isEmpty()) {
                ByteBuf compound = channel.alloc().buffer(512);
                RtcpWriter.writeCompound(reports, compound);
                rtcp.onSent();
                send(compound, false);
            }
        }
    }

    private void sendCheck() {
        byte[] tx = new byte[StunMessage.TRANSACTION_ID_LENGTH];
        for (int i = 0; i < tx.length; i++) {
            tx[i] = (byte) random.nextInt(256);
        }
        byte[] check = new StunMessageBuilder(StunMessage.BINDING_REQUEST, tx)
                .username(remoteIce.ufrag() + ":" + ice.ufrag()).priority(1853824767L)
                .iceControlling(random.nextLong()).useCandidate()
                .messageIntegrity(remoteIce.pwd().getBytes(StandardCharsets.UTF_8)).fingerprint().build();
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(check), target), channel.voidPromise());
    }

    /** Protects and sends {@code packet} (takes ownership); a packet that cannot be protected is dropped. */
    private void send(ByteBuf packet, boolean isRtp) {
        SrtpResult r = isRtp ? srtp.protectRtp(packet) : srtp.protectRtcp(packet);
        if (r != SrtpResult.OK) {
            dropped++;
            packet.release();
            return;
        }
        channel.writeAndFlush(new DatagramPacket(packet, target), channel.voidPromise());
    }

    private void onDatagram(ByteBuf data, long nowNanos) {
        PacketKind kind = demux.classifyAndCount(data);
        switch (kind) {
            case STUN -> {
                if (StunDecoder.decode(data) instanceof StunParseResult.Parsed p
                        && p.message().messageType() == StunMessage.BINDING_SUCCESS && !checkAnswered) {
                    checkAnswered = true;
                    startDtls();
                }
            }
            case DTLS -> {
                DtlsHandshake h = dtls;
                if (h != null) {
                    byte[] copy = new byte[data.readableBytes()];
                    data.getBytes(data.readerIndex(), copy);
                    h.offerDatagram(copy);
                }
            }
            case RTP -> {
                if (srtp != null && srtp.unprotectRtp(data) == SrtpResult.OK && data.readableBytes() >= RTP_HEADER) {
                    int at = data.readerIndex();
                    rtcp.onRtpReceived(data.getUnsignedInt(at + 8), data.getUnsignedShort(at + 2),
                            data.getUnsignedInt(at + 4), 48_000, nowNanos);
                    packetsReceived++;
                } else {
                    dropped++;
                }
            }
            case RTCP -> {
                if (srtp != null && srtp.unprotectRtcp(data) == SrtpResult.OK) {
                    try {
                        rtcp.onRtcp(data, nowNanos);
                        rtcpReceived++;
                    } catch (RtcpException e) {
                        dropped++;
                    }
                } else {
                    dropped++;
                }
            }
            default -> dropped++;
        }
    }

    private void startDtls() {
        DtlsHandshake h = DtlsHandshake.start(DtlsRole.CLIENT, List.of(remoteFingerprint), certificate,
                d -> channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(d), target),
                        channel.voidPromise()),
                dtlsPool, DtlsConfig.DEFAULT);
        dtls = h;
        h.keys().whenComplete((keys, failure) -> {
            try {
                loop.execute(() -> onKeys(keys, failure));
            } catch (RejectedExecutionException e) {
                connected.completeExceptionally(e);
            }
        });
    }

    private void onKeys(SrtpKeys keys, Throwable failure) {
        if (failure != null) {
            connected.completeExceptionally(failure);
            return;
        }
        if (closed) {
            keys.destroy();
            connected.cancel(false);
            return;
        }
        srtp = SrtpSession.create(keys);
        keys.destroy();
        connected.complete(null);
    }

    public boolean isConnected() {
        return srtp != null;
    }

    public long packetsSent() {
        return packetsSent;
    }

    /** SRTP packets from the leg that authenticated and decrypted. */
    public long packetsReceived() {
        return packetsReceived;
    }

    /** SRTCP compound packets from the leg that authenticated and parsed. */
    public long rtcpReceived() {
        return rtcpReceived;
    }

    /** Datagrams the peer could not use, and packets it could not protect. */
    public long dropped() {
        return dropped;
    }

    /** Closes the channel, the DTLS client and the SRTP session. Call on the loop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        DtlsHandshake h = dtls;
        if (h != null) {
            h.close();
        }
        if (srtp != null) {
            srtp.close();
        }
        channel.close();
        if (!connected.isDone()) {
            connected.cancel(false);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            if (!closed && packet.sender().equals(target)) {
                onDatagram(packet.content(), clock.nanoTime());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            dropped++;
        }
    }
}
