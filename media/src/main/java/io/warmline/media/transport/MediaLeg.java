package io.warmline.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import io.netty.util.ReferenceCountUtil;
import io.warmline.media.internal.LoopSnapshot;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtcp.RtcpException;
import io.warmline.media.rtcp.RtcpPacket;
import io.warmline.media.rtcp.RtcpWriter;
import io.warmline.media.rtp.RtpDemux;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.time.NanoClock;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call leg's RTP and RTCP endpoint: two UDP sockets on an even port and the next odd one (RFC 3550 §11),
 * symmetric RTP with a learning window ({@link SourceLatch}), reception statistics, RTCP reports, and a no-media
 * watchdog.
 *
 * <p><b>Threading.</b> All state is confined to the call's {@link EventLoop} given to {@link #open}: socket reads,
 * listener callbacks and timers run there. {@link #setRemote}, {@link #setFormat}, {@link #setListener},
 * {@link #send} and {@link #close} may be called from any thread; off the loop they hop onto it (so their effect
 * is asynchronous). Call them on the loop on the media path: hopping allocates a task.
 *
 * <p><b>Buffers.</b> {@link #send} takes ownership of its argument; {@link RtpEndpoint.Listener#onRtp} hands
 * ownership of the received packet to the listener.
 *
 * <p><b>Inbound path.</b> datagram → RTCP (by RFC 5761 §4 payload type, for rtcp-mux) or RTP → header validation
 * (malformed: counted, dropped) → source latch (foreign: counted, dropped) → reception statistics → listener.
 * RTCP (either port) → source latch → {@link RtcpSession} (malformed: counted) → LSR for our reports, the peer's
 * loss and jitter on our stream and the round-trip time from its report block about our SSRC, which also goes to
 * the listener ({@link RtpEndpoint.Listener#onReceiverReport}).
 *
 * <p><b>RTCP out.</b> {@link RtcpSession} decides: SR or RR with a report block and SDES CNAME every ~5 s
 * (randomized), a BYE on close.
 */
public final class MediaLeg implements RtpEndpoint, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaLeg.class);

    /** Receive buffer per datagram; anything longer arrives truncated and fails validation. */
    static final int RECEIVE_BUFFER = 2048;
    static final long TIMER_PERIOD_MILLIS = 200;
    private static final int DSCP_EF = 46;

    private final EventLoop loop;
    private final RtpPortAllocator ports;
    private final int rtpPort;
    private final Channel rtpChannel;
    private final Channel rtcpChannel;
    private final NanoClock clock;
    private final long noMediaNanos;
    private final long localSsrc;
    private final SourceLatch rtpLatch;
    private final SourceLatch rtcpLatch;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final RtcpSession rtcp;

    private RtpEndpoint.Listener listener;
    private LegFormat format;
    private boolean remoteSet;
    private boolean mediaExpected = true;
    private boolean sending = true;
    private long sendSuppressed;
    private boolean rtcpMux;
    private long silenceSince;

    private long packetsIn;
    private long bytesIn;
    private long packetsOut;
    private long bytesOut;
    private long malformed;
    private long foreign;
    private long sendDropped;
    private long lastRtcpSent = -1;
    private long lastRtcpReceived = -1;

    private MediaLeg(EventLoop loop, RtpPortAllocator ports, BoundPair pair, MediaLegOptions options) {
        this.loop = loop;
        this.ports = ports;
        this.rtpPort = pair.port;
        this.clock = options.clock();
        this.noMediaNanos = options.noMediaTimeout().toNanos();
        SplittableRandom random = new SplittableRandom();
        this.localSsrc = random.nextLong() & 0xFFFFFFFFL;
        long window = options.latchWindow().toNanos();
        this.rtpLatch = new SourceLatch(null, window);
        this.rtcpLatch = new SourceLatch(null, window);
        this.silenceSince = clock.nanoTime();
        this.rtcp = new RtcpSession(localSsrc, options.cname(), random, silenceSince,
                System.currentTimeMillis() * 1_000_000L);
        this.rtpChannel = channel(pair.rtp.channel(), new RtpHandler());
        this.rtcpChannel = channel(pair.rtcp.channel(), new RtcpHandler());
    }

    /**
     * Allocates a port pair, binds both sockets synchronously (any thread, including the loop itself) and
     * registers them on {@code loop}, as channels of the loop's transport ({@link NettyTransport#of}). Pairs whose
     * ports another process holds are skipped.
     *
     * @throws PortsExhaustedException when no pair in the range is free and bindable (answer the call 503)
     * @throws IOException when binding fails for another reason (e.g. {@code bindAddress} is not local)
     */
    public static MediaLeg open(EventLoop loop, InetAddress bindAddress, RtpPortAllocator ports,
                                MediaLegOptions options) throws PortsExhaustedException, IOException {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(options, "options");
        NettyTransport transport = NettyTransport.of(loop);
        BoundPair pair = ports.allocate(port -> BoundPair.bind(transport, bindAddress, port));
        MediaLeg leg;
        try {
            leg = new MediaLeg(loop, ports, pair, options);
        } catch (RuntimeException e) {
            pair.closeQuietly();
            ports.release(pair.port);
            throw e;
        }
        leg.register();
        return leg;
    }

    private void register() {
        try {
            loop.register(rtpChannel).addListener(f -> failOnError(f.cause()));
            loop.register(rtcpChannel).addListener(f -> failOnError(f.cause()));
            if (loop.inEventLoop()) {
                startTimers();
            } else {
                loop.execute(this::startTimers);
            }
        } catch (RejectedExecutionException e) {
            close();
            throw e;
        }
    }

    /** Joins the loop's shared ticker, which runs {@link #checkTimers} every {@link #TIMER_PERIOD_MILLIS}. */
    private void startTimers() {
        if (!closed.get()) {
            LegTicker.of(loop, TIMER_PERIOD_MILLIS).add(this);
        }
    }

    private void failOnError(Throwable cause) {
        if (cause != null) {
            log.warn("Registering media leg on port {} failed; closing it", rtpPort, cause);
            close();
        }
    }

    private static Channel channel(Channel ch, ChannelHandler handler) {
        ch.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(RECEIVE_BUFFER));
        ch.pipeline().addLast(handler);
        return ch;
    }

    public int localRtpPort() {
        return rtpPort;
    }

    public int localRtcpPort() {
        return rtpPort + 1;
    }

    /** Our SSRC (RFC 3550 §8.1, random); whoever sends on this leg uses it, and RTCP reports under it. */
    @Override
    public long localSsrc() {
        return localSsrc;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /** The clock this leg measures time with (shared with whatever relays its packets). */
    public NanoClock clock() {
        return clock;
    }

    /**
     * The remote addresses from SDP (offer/answer, re-INVITE). Restarts the source-learning window and the
     * no-media watchdog.
     *
     * @param rtp the remote RTP address; {@code 0.0.0.0} or port 0 means none (nothing is sent until a source is
     *     learned)
     * @param rtcp the remote RTCP address (RFC 3605 {@code a=rtcp}); null means the RTP port + 1; equal to
     *     {@code rtp} means rtcp-mux (RFC 5761), so RTCP is sent on the RTP socket
     */
    public void setRemote(InetSocketAddress rtp, InetSocketAddress rtcp) {
        Objects.requireNonNull(rtp, "rtp");
        if (!loop.inEventLoop()) {
            execute(() -> setRemote(rtp, rtcp));
            return;
        }
        if (closed.get()) {
            return;
        }
        InetSocketAddress rtpAddress = usable(rtp) ? rtp : null;
        InetSocketAddress rtcpAddress = null;
        if (rtcp != null) {
            rtcpAddress = usable(rtcp) ? rtcp : null;
        } else if (rtpAddress != null && rtp.getPort() < 65535) {
            rtcpAddress = new InetSocketAddress(rtp.getAddress(), rtp.getPort() + 1);
        }
        long now = clock.nanoTime();
        remoteSet = true;
        rtcpMux = rtcpAddress != null && rtcpAddress.equals(rtpAddress);
        rtpLatch.startLearning(rtpAddress, now);
        rtcpLatch.startLearning(rtcpAddress, now);
        silenceSince = now;
    }

    /**
     * An address media may be sent to. Not {@code 0.0.0.0} (the RFC 2543 hold idiom, RFC 3264 §8.4), which a
     * Linux host would deliver to itself; not port 0 (a rejected stream, RFC 3264 §6); not unresolved.
     */
    private static boolean usable(InetSocketAddress address) {
        return !address.isUnresolved() && !address.getAddress().isAnyLocalAddress() && address.getPort() > 0;
    }

    /**
     * Whether the remote is expected to send RTP. False while it holds the call with {@code a=sendonly} or
     * {@code a=inactive} (RFC 3264 §8.4), which suspends the no-media watchdog; true (the default) restarts it.
     */
    public void setMediaExpected(boolean expected) {
        if (!loop.inEventLoop()) {
            execute(() -> setMediaExpected(expected));
            return;
        }
        if (expected && !mediaExpected) {
            silenceSince = clock.nanoTime();
        }
        mediaExpected = expected;
    }

    /**
     * Whether RTP may be sent: false while the remote does not receive ({@code a=sendonly} or {@code a=inactive} on
     * its side, RFC 3264 §6.1). Packets offered meanwhile are released and counted, not sent; RTCP continues
     * (RFC 3264 §5.1).
     */
    public void setSending(boolean enabled) {
        if (!loop.inEventLoop()) {
            execute(() -> setSending(enabled));
            return;
        }
        sending = enabled;
    }

    /** RTP packets not sent because the remote holds the call (see {@link #setSending}). Read it on the loop. */
    public long sendSuppressed() {
        return sendSuppressed;
    }

    /** The negotiated format, one both ways; takes effect for the next packet. */
    public void setFormat(int payloadType, String encoding, int clockRate, int telephoneEventPt) {
        setFormat(new LegFormat(payloadType, encoding, clockRate, telephoneEventPt));
    }

    /** The negotiated format, with what the peer may send besides it; takes effect for the next packet. */
    public void setFormat(LegFormat f) {
        Objects.requireNonNull(f, "format");
        if (!loop.inEventLoop()) {
            execute(() -> format = f);
            return;
        }
        format = f;
    }

    /** The negotiated format, or null before {@link #setFormat}. Read it on the loop. */
    public LegFormat format() {
        return format;
    }

    @Override
    public void setListener(RtpEndpoint.Listener l) {
        if (!loop.inEventLoop()) {
            execute(() -> listener = l);
            return;
        }
        listener = l;
    }

    /** The current listener, or null. Read it on the loop. */
    public RtpEndpoint.Listener listener() {
        return listener;
    }

    /**
     * Sends an RTP packet to the latched remote (or the SDP address before anything is latched). Takes ownership:
     * the packet is released once written, or at once when dropped (no remote yet, closed, socket backed up).
     */
    @Override
    public void send(ByteBuf rtpPacket) {
        if (!loop.inEventLoop()) {
            try {
                loop.execute(() -> send(rtpPacket));
            } catch (RejectedExecutionException e) {
                rtpPacket.release();
            }
            return;
        }
        if (!sending) {
            sendSuppressed++;
            rtpPacket.release();
            return;
        }
        InetSocketAddress to = rtpLatch.target();
        if (to == null || closed.get() || !rtpChannel.isWritable()) {
            sendDropped++;
            rtpPacket.release();
            return;
        }
        long now = clock.nanoTime();
        int length = rtpPacket.readableBytes();
        packetsOut++;
        bytesOut += length;
        onRtpSent(rtpPacket, now);
        rtpChannel.writeAndFlush(new DatagramPacket(rtpPacket, to), rtpChannel.voidPromise());
    }

    private void onRtpSent(ByteBuf packet, long now) {
        if (packet.readableBytes() >= RtpHeader.FIXED_HEADER_LENGTH) {
            rtcp.onRtpSent(RtpHeader.timestamp(packet), packet.readableBytes() - RtpHeader.headerLength(packet), now);
        }
    }

    private int clockRate() {
        LegFormat f = format;
        return f != null ? f.clockRate() : 8000;
    }

    /** A snapshot of the counters. Off the loop it waits (briefly) for the loop to take it. */
    public MediaLegStats stats() {
        return LoopSnapshot.take(loop, this::snapshot);
    }

    private MediaLegStats snapshot() {
        RtcpStats r = rtcp.stats(clockRate());
        return new MediaLegStats(packetsIn, bytesIn, packetsOut, bytesOut, malformed, foreign, sendDropped,
                r.reportsReceived(), r.reportsSent(), r.fractionLost(), r.cumulativeLost(), r.jitterMillis(),
                r.rttMillis(), lastRtcpSent, lastRtcpReceived);
    }

    /** The RTCP statistics; call on the loop. */
    @Override
    public RtcpStats rtcpStats() {
        return rtcp.stats(clockRate());
    }

    /**
     * Sends an RTCP BYE (when a remote is known), closes both sockets, releases the port pair and stops timers (the
     * loop's ticker drops the leg at its next tick).
     * Idempotent; any thread (off the loop it hops onto it). The operating system frees a closed NIO socket's port
     * at the loop's next select, so an immediate re-bind of the same pair can still fail; the allocator's
     * round-robin order makes that rare, and it is skipped like any taken pair.
     */
    @Override
    public void close() {
        if (!loop.inEventLoop() && !loop.isShuttingDown()) {
            try {
                loop.execute(this::close);
                return;
            } catch (RejectedExecutionException e) {
                // the loop is gone: close from here
            }
        }
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (remoteSet && loop.inEventLoop()) {
            long now = clock.nanoTime();
            sendRtcp(rtcp.bye(now, clockRate()), now);
        }
        listener = null;
        rtpChannel.close();
        rtcpChannel.close();
        ports.release(rtpPort);
    }

    /** The class of the RTP socket's channel (it matches the loop's transport). */
    Class<?> channelClassForTests() {
        return rtpChannel.getClass();
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Runs the periodic checks at {@code now}; the loop's timer calls it, tests call it with a fake time. */
    void checkTimers(long now) {
        if (closed.get()) {
            return;
        }
        rtpLatch.poll(now);
        rtcpLatch.poll(now);
        if (remoteSet) {
            List<RtcpPacket> report = rtcp.poll(now, clockRate());
            if (report != null) {
                sendRtcp(report, now);
            }
        }
        if (remoteSet && mediaExpected && now - silenceSince >= noMediaNanos) {
            silenceSince = now;
            RtpEndpoint.Listener l = listener;
            if (l != null) {
                try {
                    l.onNoMedia(this);
                } catch (RuntimeException e) {
                    log.warn("No-media listener of leg {} failed", rtpPort, e);
                }
            }
        }
    }

    private void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            log.debug("Event loop gone; dropping a task for leg {}", rtpPort);
        }
    }

    private void onRtpPortDatagram(DatagramPacket datagram) {
        ByteBuf buf = datagram.content();
        long now = clock.nanoTime();
        if (RtpDemux.isRtcp(buf)) {
            onRtcp(datagram, rtpLatch, now);
            return;
        }
        if (!RtpHeader.isValid(buf)) {
            malformed++;
            datagram.release();
            return;
        }
        if (!rtpLatch.accept(datagram.sender(), now)) {
            foreign++;
            datagram.release();
            return;
        }
        packetsIn++;
        bytesIn += buf.readableBytes();
        silenceSince = now;
        rtcp.onRtpReceived(RtpHeader.ssrc(buf), RtpHeader.sequence(buf), RtpHeader.timestamp(buf), clockRate(), now);
        RtpEndpoint.Listener l = listener;
        if (l == null) {
            datagram.release();
            return;
        }
        try {
            l.onRtp(this, buf);
        } catch (RuntimeException e) {
            log.warn("RTP listener of leg {} failed", rtpPort, e);
        }
    }

    private void onRtcp(DatagramPacket datagram, SourceLatch latch, long now) {
        try {
            if (!latch.accept(datagram.sender(), now)) {
                foreign++;
                return;
            }
            ReportBlock aboutUs;
            try {
                aboutUs = rtcp.onRtcp(datagram.content(), now);
            } catch (RtcpException e) {
                malformed++;
                return;
            }
            lastRtcpReceived = now;
            RtpEndpoint.Listener l = listener;
            if (aboutUs != null && l != null) {
                try {
                    l.onReceiverReport(this, aboutUs, now);
                } catch (RuntimeException e) {
                    log.warn("Report listener of leg {} failed", rtpPort, e);
                }
            }
        } finally {
            datagram.release();
        }
    }

    private void sendRtcp(List<RtcpPacket> compound, long now) {
        Channel ch = rtcpMux ? rtpChannel : rtcpChannel;
        InetSocketAddress to = rtcpMux ? rtpLatch.target() : rtcpLatch.target();
        if (to == null || !ch.isActive() || !ch.isWritable()) {
            return;
        }
        ByteBuf buf = ch.alloc().ioBuffer(256);
        try {
            RtcpWriter.writeCompound(compound, buf);
        } catch (RuntimeException e) {
            buf.release();
            log.warn("Could not write RTCP for leg {}", rtpPort, e);
            return;
        }
        rtcp.onSent();
        lastRtcpSent = now;
        ch.writeAndFlush(new DatagramPacket(buf, to), ch.voidPromise());
    }

    /** Inbound adapter of the RTP socket; runs on the loop. */
    private final class RtpHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket datagram) {
                onRtpPortDatagram(datagram);
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("RTP socket of leg {}: {}", rtpPort, cause.toString());
        }
    }

    /** Inbound adapter of the RTCP socket; runs on the loop. */
    private final class RtcpHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof DatagramPacket datagram) {
                onRtcp(datagram, rtcpLatch, clock.nanoTime());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("RTCP socket of leg {}: {}", rtpPort, cause.toString());
        }
    }

    /** The two sockets of a pair, bound but not yet registered with Netty. */
    private record BoundPair(int port, BoundSocket rtp, BoundSocket rtcp) {

        static BoundPair bind(NettyTransport transport, InetAddress address, int port) throws IOException {
            BoundSocket rtp = null;
            BoundSocket rtcp = null;
            try {
                rtp = BoundSocket.bind(transport, new InetSocketAddress(address, port));
                rtcp = BoundSocket.bind(transport, new InetSocketAddress(address, port + 1));
                return new BoundPair(port, rtp, rtcp);
            } catch (IOException | RuntimeException e) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
                throw e;
            }
        }

        void closeQuietly() {
            closeQuietly(rtp);
            closeQuietly(rtcp);
        }

        private static void closeQuietly(BoundSocket s) {
            if (s != null) {
                s.closeQuietly();
            }
        }
    }

    /**
     * One socket bound synchronously on the caller's thread (so that a taken port is known before the call is
     * answered): a JDK datagram socket for NIO, a native one for epoll, each wrapped in its transport's channel.
     */
    private sealed interface BoundSocket {
        /** Linux's EADDRINUSE: the native socket reports it as a plain I/O error, the allocator needs a BindException. */
        int EADDRINUSE = 98;

        Channel channel();

        void closeQuietly();

        static BoundSocket bind(NettyTransport transport, InetSocketAddress local) throws IOException {
            return transport == NettyTransport.EPOLL ? NativeSocket.bind(local) : JdkSocket.bind(local);
        }
    }

    private record JdkSocket(DatagramChannel socket) implements BoundSocket {
        static JdkSocket bind(InetSocketAddress local) throws IOException {
            ProtocolFamily family = local.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6
                    : StandardProtocolFamily.INET;
            DatagramChannel ch = DatagramChannel.open(family);
            try {
                try {
                    // RFC 4594 §4.1 / RFC 3246: telephony media is Expedited Forwarding (DSCP 46); best effort only
                    ch.setOption(StandardSocketOptions.IP_TOS, DSCP_EF << 2);
                } catch (IOException | UnsupportedOperationException e) {
                    log.debug("Cannot mark media sockets with DSCP EF: {}", e.toString());
                }
                ch.bind(local);
                return new JdkSocket(ch);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        @Override
        public Channel channel() {
            return new NioDatagramChannel(socket);
        }

        @Override
        public void closeQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing more to free
            }
        }
    }

    private record NativeSocket(Socket socket) implements BoundSocket {
        static NativeSocket bind(InetSocketAddress local) throws IOException {
            Socket s = Socket.newSocketDgram();
            try {
                try {
                    // RFC 4594 §4.1 / RFC 3246, as for the JDK socket
                    s.setTrafficClass(DSCP_EF << 2);
                } catch (IOException e) {
                    log.debug("Cannot mark media sockets with DSCP EF: {}", e.toString());
                }
                try {
                    s.bind(local);
                } catch (Errors.NativeIoException e) {
                    if (Math.abs(e.expectedErr()) == EADDRINUSE) {
                        BindException taken = new BindException(e.getMessage());
                        taken.initCause(e);
                        throw taken;
                    }
                    throw e;
                }
                return new NativeSocket(s);
            } catch (IOException | RuntimeException e) {
                closeQuietly(s);
                throw e;
            }
        }

        @Override
        public Channel channel() {
            // the channel owns the descriptor from here on and closes it with itself
            return new EpollDatagramChannel(socket.intValue());
        }

        @Override
        public void closeQuietly() {
            closeQuietly(socket);
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing more to free
            }
        }
    }

    @Override
    public String toString() {
        return "MediaLeg[" + rtpPort + "]";
    }
}
