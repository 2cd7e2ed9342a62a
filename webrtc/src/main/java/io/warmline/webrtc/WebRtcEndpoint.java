package io.warmline.webrtc;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.ScheduledFuture;
import io.warmline.media.sched.RealtimeThreadFactory;
import io.warmline.media.sdp.SdpOrigin;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.NettyTransport;
import io.warmline.webrtc.demux.PacketKind;
import io.warmline.webrtc.demux.Rfc7983Demux;
import io.warmline.webrtc.dtls.DtlsCertificate;
import io.warmline.webrtc.ice.IceDropReason;
import io.warmline.webrtc.ice.IceEvent;
import io.warmline.webrtc.ice.IceLeg;
import io.warmline.webrtc.ice.IceLiteAgent;
import io.warmline.webrtc.ice.IceLiteStats;
import io.warmline.webrtc.ice.IcePath;
import io.warmline.webrtc.ice.Rfc4571Decoder;
import io.warmline.webrtc.ice.Rfc4571Encoder;
import io.warmline.webrtc.ice.StunVerdict;
import io.warmline.webrtc.internal.EndpointCounters;
import io.warmline.webrtc.internal.HandshakeTimeline;
import io.warmline.webrtc.internal.PortOutbox;
import io.warmline.webrtc.sdp.IceCandidate;
import io.warmline.webrtc.sdp.IceCredentials;
import io.warmline.webrtc.sdp.LocalTransport;
import io.warmline.webrtc.sdp.OfferRefusedException;
import io.warmline.webrtc.sdp.WebRtcAnswer;
import io.warmline.webrtc.sdp.WebRtcAnswerer;
import io.warmline.webrtc.sdp.WebRtcOffer;
import io.warmline.webrtc.srtp.SrtpSession;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebRTC edge of a node: one UDP port (on every configured address, IPv4 and IPv6) shared by all WebRTC legs,
 * and a passive ICE-TCP listener (RFC 6544, RFC 4571 framing). Each packet is told apart by its first byte (RFC 7983)
 * and goes to the ICE-lite agent (STUN), or to the leg whose checks validated its source address (DTLS, SRTP, SRTCP);
 * legs are found by ufrag, then by their nominated path. Every dropped packet is counted ({@link #stats()}).
 *
 * <p>The sockets and the ICE agent live on one event loop of the given group (the port's loop); each leg lives on its
 * conversation's loop, and packets are handed over between them in batches: what one read of the port brings for
 * one call loop's legs goes over as one task, and what one call loop's task sends as one task with one flush
 * ({@link PortOutbox}). On the epoll transport a read is one {@code recvmmsg} of up to {@value #DATAGRAMS_PER_READ}
 * datagrams and a flush one {@code sendmmsg}. DTLS handshakes run on a small bounded pool
 * (BouncyCastle blocks). Thread-safe: {@link #accept} may be called from any thread.
 */
public final class WebRtcEndpoint implements AutoCloseable {

    /** Passive ICE-TCP connections held at once. */
    public static final int MAX_TCP_CONNECTIONS = 1024;
    /** Largest ICE-TCP frame accepted (STUN, DTLS or SRTP; RFC 4571 allows 65535). */
    public static final int MAX_TCP_FRAME = 4096;

    private static final Logger log = LoggerFactory.getLogger(WebRtcEndpoint.class);
    private static final long TIMER_MILLIS = 250;
    /** Largest datagram read whole, as NIO's default datagram buffer; a longer one arrives truncated and fails. */
    static final int MAX_DATAGRAM = 2048;
    /** Datagrams one {@code recvmmsg} may read (epoll): a readiness event with many packets waiting costs one call. */
    static final int DATAGRAMS_PER_READ = 16;

    private final WebRtcEndpointOptions options;
    private final NanoClock clock;
    private final EventLoop portLoop;
    private final NettyTransport transport;
    /** Per call loop: what its legs send, handed to the port's loop per batch ({@link PortOutbox}). */
    private final Map<EventLoop, PortOutbox> outboxes = new ConcurrentHashMap<>();
    /**
     * On the port's loop: media read for legs, per call loop, handed over once per read batch (one task per call loop
     * and batch, not per packet). Keys are the call loops (a fixed few).
     */
    private final Map<EventLoop, ArrayList<Inbound>> inbound = new java.util.IdentityHashMap<>();
    private final IceLiteAgent agent;
    private final Rfc7983Demux demux = new Rfc7983Demux();
    private final DtlsCertificate certificate;
    private final ExecutorService handshakePool;
    private final EndpointCounters counters = new EndpointCounters();
    private final Map<String, WebRtcLeg> legsByUfrag = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, Channel> tcpConnections = new ConcurrentHashMap<>();
    private final List<Channel> udpChannels = new ArrayList<>();
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger legNumber = new AtomicInteger();
    private final java.util.Queue<Runnable> portChanges = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private Channel udp4;
    private Channel udp6;
    private Channel tcpServer;
    private List<IceCandidate> candidates = List.of();
    private volatile IceLiteStats iceStats;
    private volatile boolean closed;
    /** What {@link #stats()} subtracts: the counts at the last {@link #restartStats()}. */
    private volatile WebRtcEndpointStats statsBaseline = WebRtcEndpointStats.ZERO;
    private ScheduledFuture<?> timer;
    /** The port's loop when {@link #startOnOwnLoop} made it, else null. */
    private EventLoopGroup ownedGroup;

    private WebRtcEndpoint(WebRtcEndpointOptions options, EventLoop portLoop, DtlsCertificate certificate) {
        this.options = options;
        this.clock = options.clock();
        this.portLoop = portLoop;
        this.transport = NettyTransport.of(portLoop);
        this.agent = new IceLiteAgent(options.ice(), random);
        this.iceStats = agent.stats();
        this.certificate = certificate;
        AtomicInteger threadNumber = new AtomicInteger();
        this.handshakePool = new ThreadPoolExecutor(options.handshakeThreads(), options.handshakeThreads(), 30,
                TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), r -> {
                    Thread t = new Thread(r, "dtls-handshake-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Binds the port on every address of {@code options} (and the ICE-TCP listener) with a new ECDSA certificate.
     *
     * @param group an event loop group (NIO or epoll: the sockets are of its transport); one of its loops becomes the
     *     port's loop
     * @throws IOException when an address cannot be bound
     */
    public static WebRtcEndpoint start(EventLoopGroup group, WebRtcEndpointOptions options) throws IOException {
        return start(group, options, DtlsCertificate.generate());
    }

    public static WebRtcEndpoint start(EventLoopGroup group, WebRtcEndpointOptions options,
            DtlsCertificate certificate) throws IOException {
        Objects.requireNonNull(group, "group");
        return start(group.next(), null, options, certificate);
    }

    /**
     * As {@link #start(EventLoopGroup, WebRtcEndpointOptions)}, with the port on a loop of its own (thread
     * {@code webrtc-port}, ended by {@link #close()}) rather than one that also runs conversations: STUN answers and
     * DTLS records then never wait behind a mixing tick. In 30-leg ramps on the shared 2-core machine this took the
     * client's handshake p95 from 121–1 158 ms to 80–203 ms (three alternated pairs of runs, docs/performance.md).
     */
    public static WebRtcEndpoint startOnOwnLoop(WebRtcEndpointOptions options) throws IOException {
        return startOnOwnLoop(options, 0);
    }

    /**
     * As {@link #startOnOwnLoop(WebRtcEndpointOptions)}, the port's thread in SCHED_RR at {@code realtimePriority}
     * (the operator's {@code media.realtime-priority}; 0 = normal): every SRTP packet of every leg passes through it.
     * The DTLS handshake threads stay normal.
     */
    public static WebRtcEndpoint startOnOwnLoop(WebRtcEndpointOptions options, int realtimePriority)
            throws IOException {
        return startOnOwnLoop(options, realtimePriority, NettyTransport.NIO);
    }

    /** As {@link #startOnOwnLoop(WebRtcEndpointOptions, int)}, the port's loop and sockets on {@code transport}. */
    public static WebRtcEndpoint startOnOwnLoop(WebRtcEndpointOptions options, int realtimePriority,
            NettyTransport transport) throws IOException {
        EventLoopGroup own = transport.newGroup(1,
                RealtimeThreadFactory.wrap(new io.netty.util.concurrent.DefaultThreadFactory("webrtc-port", true),
                        realtimePriority));
        try {
            return start(own.next(), own, options, DtlsCertificate.generate());
        } catch (IOException | RuntimeException e) {
            own.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static WebRtcEndpoint start(EventLoop portLoop, EventLoopGroup owned, WebRtcEndpointOptions options,
            DtlsCertificate certificate) throws IOException {
        Objects.requireNonNull(options, "options");
        // jitsi-srtp picks its AES implementation by a benchmark on first use: pay it here, not on a leg's loop.
        SrtpSession.warmUp();
        WebRtcEndpoint endpoint = new WebRtcEndpoint(options, portLoop, certificate);
        endpoint.ownedGroup = owned;
        try {
            endpoint.bind();
        } catch (IOException | RuntimeException e) {
            endpoint.close();
            throw e;
        }
        return endpoint;
    }

    private void bind() throws IOException {
        List<InetSocketAddress> udpBound = new ArrayList<>();
        int port = options.udpPort();
        for (InetAddress address : options.addresses()) {
            Channel ch = bindUdp(address, port);
            if (ch == null && port != 0 && options.udpPort() == 0) {
                ch = bindUdp(address, 0);
            }
            if (ch == null) {
                throw new IOException("cannot bind UDP " + address.getHostAddress() + " port " + port);
            }
            InetSocketAddress local = (InetSocketAddress) ch.localAddress();
            port = options.udpPort() == 0 && port == 0 ? local.getPort() : port;
            udpChannels.add(ch);
            udpBound.add(local);
            if (address instanceof Inet6Address) {
                udp6 = udp6 == null ? ch : udp6;
            } else {
                udp4 = udp4 == null ? ch : udp4;
            }
        }
        List<InetSocketAddress> tcpBound = new ArrayList<>();
        if (options.tcpPort() >= 0) {
            tcpServer = new ServerBootstrap().group(portLoop, portLoop).channel(transport.serverSocketChannel())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new TcpHandler());
                        }
                    })
                    .bind(new InetSocketAddress(wildcardFor(options.addresses()), options.tcpPort()))
                    .syncUninterruptibly().channel();
            int tcpPort = ((InetSocketAddress) tcpServer.localAddress()).getPort();
            for (InetAddress address : options.addresses()) {
                tcpBound.add(new InetSocketAddress(address, tcpPort));
            }
        }
        candidates = IceCandidate.hostCandidates(udpBound, tcpBound);
        timer = portLoop.scheduleAtFixedRate(this::onTimer, TIMER_MILLIS, TIMER_MILLIS, TimeUnit.MILLISECONDS);
        log.info("WebRTC port: UDP {} TCP {} ({})", udpBound, tcpBound, transport.configName());
    }

    private Channel bindUdp(InetAddress address, int port) {
        try {
            Bootstrap b = new Bootstrap().group(portLoop).channel(transport.datagramChannel())
                    .option(ChannelOption.SO_RCVBUF, 1 << 20).option(ChannelOption.SO_SNDBUF, 1 << 20);
            if (transport == NettyTransport.EPOLL) {
                // recvmmsg: the buffer holds DATAGRAMS_PER_READ slots of MAX_DATAGRAM, each datagram a slice of it
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_DATAGRAM)
                        .option(ChannelOption.RCVBUF_ALLOCATOR,
                                new FixedRecvByteBufAllocator(MAX_DATAGRAM * DATAGRAMS_PER_READ));
            }
            return b.handler(new UdpHandler()).bind(new InetSocketAddress(address, port)).syncUninterruptibly()
                    .channel();
        } catch (RuntimeException e) {
            log.debug("UDP bind {} port {} failed", address, port, e);
            return null;
        }
    }

    /** The TCP listener takes every address family when any address is IPv6; otherwise the IPv4 wildcard. */
    private static InetAddress wildcardFor(List<InetAddress> addresses) {
        try {
            if (addresses.size() == 1) {
                return addresses.get(0);
            }
            for (InetAddress a : addresses) {
                if (a instanceof Inet6Address) {
                    return InetAddress.getByName("::");
                }
            }
            return InetAddress.getByName("0.0.0.0");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Answers a browser's offer with a new leg owned by {@code loop}. The leg then waits for the browser's checks and
     * DTLS; it ends by itself when they do not finish within {@link WebRtcEndpointOptions#handshakeTimeout()}.
     *
     * @param events told (on {@code loop}) when the leg connects and when it ends by itself
     * @throws OfferRefusedException with a typed reason when the offer cannot be served
     */
    public WebRtcLeg accept(String offerSdp, EventLoop loop, WebRtcLeg.Events events) throws OfferRefusedException {
        return accept(offerSdp, loop, events, clock.nanoTime());
    }

    /**
     * As {@link #accept(String, EventLoop, WebRtcLeg.Events)}, with the leg's handshake time and timeline counted from
     * {@code offerReceivedNanos} (this endpoint's clock): when the offer arrived, e.g. its HTTP request was read, so
     * that waiting for {@code loop} counts too.
     */
    public WebRtcLeg accept(String offerSdp, EventLoop loop, WebRtcLeg.Events events, long offerReceivedNanos)
            throws OfferRefusedException {
        Objects.requireNonNull(loop, "loop");
        long now = clock.nanoTime();
        long origin = Math.min(now, offerReceivedNanos);
        if (closed) {
            throw new IllegalStateException("the WebRTC endpoint is closed");
        }
        WebRtcAnswer answer;
        long ssrc = 1 + random.nextLong(0xFFFF_FFFEL);
        String cname = HexFormat.of().formatHex(randomBytes(8));
        try {
            WebRtcOffer offer = WebRtcOffer.parse(offerSdp);
            IceCredentials local = uniqueCredentials();
            LocalTransport transport = new LocalTransport(local, certificate.fingerprint(), candidates, ssrc, cname);
            answer = WebRtcAnswerer.answer(offer, transport, SdpOrigin.random(random), options.codecPreference());
        } catch (OfferRefusedException e) {
            counters.offersRefused.increment();
            throw e;
        }
        String id = "webrtc-" + legNumber.incrementAndGet();
        WebRtcLeg leg = new WebRtcLeg(this, loop, id, answer, ssrc, cname,
                events == null ? WebRtcLeg.noEvents() : events, origin);
        leg.timeline().mark(HandshakeTimeline.Step.TAKEN, now);
        String ufrag = answer.localIce().ufrag();
        if (legsByUfrag.putIfAbsent(ufrag, leg) != null) {
            throw new IllegalStateException("ufrag collision");
        }
        counters.legsAccepted.increment();
        onPortLoop(() -> register(leg, answer, now));
        leg.start();
        leg.timeline().mark(HandshakeTimeline.Step.ANSWERED, clock.nanoTime());
        return leg;
    }

    private void register(WebRtcLeg leg, WebRtcAnswer answer, long now) {
        if (leg.state() == WebRtcLegState.ENDED || legsByUfrag.get(answer.localIce().ufrag()) != leg) {
            return;
        }
        try {
            leg.registered(agent.addLeg(leg.id(), answer.localIce(), answer.remoteIce(), now));
        } catch (IllegalStateException | IllegalArgumentException e) {
            log.warn("WebRTC leg {} not registered: {}", leg.id(), e.getMessage());
            leg.deliverEnd(LegEndReason.ENDPOINT_CLOSED);
        }
    }

    /**
     * Parses and answers a browser's offer (a fixed one: audio, video and data, with every attribute a browser
     * sends) {@code rounds} times, making no leg, and returns the nanoseconds it took. A fresh process otherwise
     * answers its first offers with the SDP parser and answerer interpreted: 10-20 ms for the first, about 1 ms of
     * CPU each for the next dozens, against under 0.1 ms compiled, on the HTTP request's path.
     */
    public long warmUpAnswers(int rounds) {
        long start = clock.nanoTime();
        String offerSdp;
        try (var in = WebRtcEndpoint.class.getResourceAsStream("internal/warm-up-offer.sdp")) {
            if (in == null) {
                throw new IllegalStateException("the warm-up offer is missing from the classpath");
            }
            offerSdp = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("reading the warm-up offer", e);
        }
        int answered = 0;
        for (int i = 0; i < rounds; i++) {
            try {
                WebRtcOffer offer = WebRtcOffer.parse(offerSdp);
                LocalTransport transport = new LocalTransport(IceCredentials.random(random),
                        certificate.fingerprint(), candidates, 1 + random.nextLong(0xFFFF_FFFEL),
                        HexFormat.of().formatHex(randomBytes(8)));
                answered += WebRtcAnswerer.answer(offer, transport, SdpOrigin.random(random),
                        options.codecPreference()).sdp().isEmpty() ? 0 : 1;
            } catch (OfferRefusedException e) {
                throw new IllegalStateException("the warm-up offer was refused: " + e.getMessage(), e);
            }
        }
        if (answered != rounds) {
            throw new IllegalStateException("the warm-up offer got an empty answer");
        }
        return clock.nanoTime() - start;
    }

    private IceCredentials uniqueCredentials() {
        for (int i = 0; i < 8; i++) {
            IceCredentials c = IceCredentials.random(random);
            if (!legsByUfrag.containsKey(c.ufrag())) {
                return c;
            }
        }
        throw new IllegalStateException("no free ufrag");
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Our host candidates, as in every answer. */
    public List<IceCandidate> candidates() {
        return candidates;
    }

    public DtlsCertificate certificate() {
        return certificate;
    }

    /** Live legs (answered and not ended). */
    public int legCount() {
        return legsByUfrag.size();
    }

    /** The port's counters since it started, or since the last {@link #restartStats()}. */
    public WebRtcEndpointStats stats() {
        return rawStats().since(statsBaseline);
    }

    /**
     * Counts from zero again, and forgets the longest handshake: what the node's own warm-up legs did before it
     * took traffic is not the product's traffic. Call when no leg is live.
     */
    public void restartStats() {
        counters.handshakeMaxNanos.set(0);
        statsBaseline = rawStats();
    }

    private WebRtcEndpointStats rawStats() {
        IceLiteStats ice = iceStats;
        long stunOther = 0;
        for (IceDropReason r : IceDropReason.values()) {
            if (r != IceDropReason.UNKNOWN_UFRAG) {
                stunOther += ice.dropped(r);
            }
        }
        EndpointCounters c = counters;
        return new WebRtcEndpointStats(c.offersRefused.sum(), c.legsAccepted.sum(), c.legsConnected.sum(),
                c.legsEnded.sum(), ice.dropped(IceDropReason.UNKNOWN_UFRAG), ice.badIntegrity() + ice.wrongRemoteUfrag(),
                ice.badRequests(), stunOther, c.dtlsUnknownAddress.sum(), c.mediaUnknownAddress.sum(),
                c.mediaNotReady.sum(), c.srtpAuthFailed.sum(), c.srtpReplayed.sum(), c.srtpOtherDrops.sum(),
                c.unknownPackets.sum(), c.dtlsFailures.sum(), c.fingerprintMismatches.sum(), c.sendDropped.sum(),
                c.handshakes.sum(), c.handshakeTotalNanos.sum(), c.handshakeMaxNanos.get(),
                c.peersRefused.sum(), c.candidatesAccepted.sum(), c.candidatesRefused.sum(),
                c.fragmentsRefused.sum(), c.iceRestarts.sum(), ice.consentLost());
    }

    /** Closes the port: every leg ends ({@link LegEndReason#ENDPOINT_CLOSED}), sockets close, the pool stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (WebRtcLeg leg : legsByUfrag.values()) {
            leg.deliverEnd(LegEndReason.ENDPOINT_CLOSED);
        }
        if (timer != null) {
            timer.cancel(false);
        }
        for (Channel ch : udpChannels) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        for (Channel ch : tcpConnections.values()) {
            ch.close();
        }
        if (tcpServer != null) {
            tcpServer.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        handshakePool.shutdownNow();
        if (ownedGroup != null) {
            ownedGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    // ---- for the legs ----

    WebRtcEndpointOptions options() {
        return options;
    }

    NanoClock clock() {
        return clock;
    }

    EndpointCounters counters() {
        return counters;
    }

    ExecutorService handshakePool() {
        return handshakePool;
    }

    /** The Netty transport of the port's loop and sockets. */
    public NettyTransport transport() {
        return transport;
    }

    /**
     * Sends {@code data} for {@code leg} on {@code path} (takes ownership). On the leg's loop a UDP datagram goes
     * through that loop's {@link PortOutbox} (one hand-over to the port's loop per batch); anything else as
     * {@link #transmit}. A packet of a leg that ends before the port's loop writes it is released, not sent.
     */
    void transmitFromLeg(WebRtcLeg leg, IcePath path, ByteBuf data) {
        EventLoop loop = leg.eventLoop();
        if (path.transport() != io.warmline.webrtc.ice.IceTransport.UDP || !loop.inEventLoop() || loop == portLoop) {
            transmit(path, data);
            return;
        }
        Channel ch = path.remote().getAddress() instanceof Inet6Address ? udp6 : udp4;
        if (ch == null) {
            data.release();
            return;
        }
        PortOutbox outbox = outboxes.get(loop);
        if (outbox == null) {
            outbox = outboxes.computeIfAbsent(loop, l -> new PortOutbox(l, portLoop));
        }
        outbox.add(ch, new DatagramPacket(data, path.remote()), leg.liveCheck());
    }

    /** Sends {@code data} on {@code path} (takes ownership). Thread-safe: a channel write is queued to its loop. */
    void transmit(IcePath path, ByteBuf data) {
        Channel ch;
        if (path.transport() == io.warmline.webrtc.ice.IceTransport.UDP) {
            ch = path.remote().getAddress() instanceof Inet6Address ? udp6 : udp4;
            if (ch == null) {
                data.release();
                return;
            }
            ch.writeAndFlush(new DatagramPacket(data, path.remote()), ch.voidPromise());
            return;
        }
        ch = tcpConnections.get(path.remote());
        if (ch == null || !ch.isActive()) {
            data.release();
            return;
        }
        ch.writeAndFlush(Rfc4571Encoder.encode(ch.alloc(), data), ch.voidPromise());
    }

    /** Forgets a leg that ended: its ufrag (whichever ICE session it is in) and its ICE registration. */
    void unregister(WebRtcLeg leg) {
        legsByUfrag.values().remove(leg);
        onPortLoop(() -> {
            IceLeg ice = leg.iceLeg();
            if (ice != null) {
                agent.removeLeg(ice);
            }
        });
    }

    /**
     * New local credentials for {@code leg}'s ICE restart; the agent and the ufrag index take them on the port's
     * loop, before any later packet is read (the browser learns them only from our answer). The agent keeps the old
     * ones valid until a check with the new ones passes (RFC 8445 §9). A leg that cannot be
     * re-keyed (it ended meanwhile, or a ufrag collision) ends.
     */
    IceCredentials restartIce(WebRtcLeg leg, IceCredentials old, IceCredentials remote) {
        IceCredentials local = uniqueCredentials();
        onPortLoop(() -> {
            IceLeg ice = leg.iceLeg();
            if (ice == null || leg.state() == WebRtcLegState.ENDED || !legsByUfrag.remove(old.ufrag(), leg)) {
                return;
            }
            try {
                agent.restart(ice, local, remote);
            } catch (IllegalArgumentException | IllegalStateException e) {
                log.warn("WebRTC leg {}: ICE restart failed: {}", leg.id(), e.getMessage());
                leg.deliverEnd(LegEndReason.ENDPOINT_CLOSED);
                return;
            }
            legsByUfrag.put(local.ufrag(), leg);
            counters.iceRestarts.increment();
        });
        return local;
    }

    /**
     * Runs a change of the agent's legs on the port's loop, in order. Queued rather than only submitted: the loop
     * reads its sockets before its task queue, so each packet first applies what is queued, and a check that follows
     * an accepted offer always finds its leg.
     */
    private void onPortLoop(Runnable change) {
        portChanges.add(change);
        try {
            portLoop.execute(this::applyPortChanges);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("port loop shut down");
        }
    }

    private void applyPortChanges() {
        Runnable change;
        while ((change = portChanges.poll()) != null) {
            change.run();
        }
    }

    // ---- on the port's loop ----

    /** Routes one packet that arrived on {@code path}; the caller keeps and releases {@code data}. */
    private void dispatch(ByteBuf data, IcePath path) {
        applyPortChanges();
        if (!options.peerFilter().test(path.remote().getAddress())) {
            counters.peersRefused.increment();
            return;
        }
        PacketKind kind = demux.classifyAndCount(data);
        switch (kind) {
            case STUN -> onStun(data, path);
            case DTLS -> {
                WebRtcLeg leg = legFor(path);
                if (leg == null) {
                    counters.dtlsUnknownAddress.increment();
                    return;
                }
                leg.timeline().mark(HandshakeTimeline.Step.FIRST_DTLS_IN,
                        clock.nanoTime());
                byte[] copy = new byte[data.readableBytes()];
                data.getBytes(data.readerIndex(), copy);
                leg.deliverDtls(copy, path);
            }
            case RTP, RTCP -> {
                WebRtcLeg leg = legFor(path);
                if (leg == null) {
                    counters.mediaUnknownAddress.increment();
                    return;
                }
                queueInbound(leg, data.retain(), path, kind);
            }
            default -> counters.unknownPackets.increment();
        }
    }

    private record Inbound(WebRtcLeg leg, ByteBuf packet, IcePath path, PacketKind kind) {}

    /** Takes ownership of {@code packet}; it reaches the leg at the end of this read batch ({@link #flushInbound}). */
    private void queueInbound(WebRtcLeg leg, ByteBuf packet, IcePath path, PacketKind kind) {
        EventLoop loop = leg.eventLoop();
        if (loop == portLoop) {
            leg.deliverMedia(packet, path, kind);
            return;
        }
        ArrayList<Inbound> batch = inbound.get(loop);
        if (batch == null) {
            batch = new ArrayList<>();
            inbound.put(loop, batch);
        }
        batch.add(new Inbound(leg, packet, path, kind));
        if (batch.size() >= PortOutbox.MAX_BATCH) {
            handOverInbound(loop, batch);
            inbound.put(loop, new ArrayList<>());
        }
    }

    /** After each read batch: one task per call loop carries what was read for its legs. */
    private void flushInbound() {
        for (Map.Entry<EventLoop, ArrayList<Inbound>> e : inbound.entrySet()) {
            ArrayList<Inbound> batch = e.getValue();
            if (!batch.isEmpty()) {
                handOverInbound(e.getKey(), batch);
                e.setValue(new ArrayList<>(batch.size()));
            }
        }
    }

    private static void handOverInbound(EventLoop loop, ArrayList<Inbound> batch) {
        try {
            loop.execute(() -> {
                for (Inbound in : batch) {
                    try {
                        in.leg.receiveMedia(in.packet, in.path, in.kind);
                    } catch (RuntimeException e) {
                        log.warn("WebRTC leg {}: media dropped", in.leg.id(), e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            for (Inbound in : batch) {
                in.packet.release();
            }
        }
    }

    private WebRtcLeg legFor(IcePath path) {
        IceLeg ice = agent.legFor(path);
        return ice == null ? null : legsByUfrag.get(ice.localCredentials().ufrag());
    }

    private void onStun(ByteBuf data, IcePath path) {
        StunVerdict verdict = agent.handleStun(data, path, clock.nanoTime());
        if (verdict instanceof StunVerdict.Reply reply) {
            transmit(reply.path(), Unpooled.wrappedBuffer(reply.message()));
            markChecks(reply.leg());
        }
        iceStats = agent.stats();
        drainIceEvents();
    }

    private void markChecks(IceLeg ice) {
        if (ice == null || ice.firstCheckNanos() == Long.MIN_VALUE) {
            return;
        }
        WebRtcLeg leg = legsByUfrag.get(ice.localCredentials().ufrag());
        if (leg == null) {
            return;
        }
        leg.timeline().mark(HandshakeTimeline.Step.FIRST_CHECK, ice.firstCheckNanos());
        if (ice.firstUseCandidateNanos() != Long.MIN_VALUE) {
            leg.timeline().mark(HandshakeTimeline.Step.USE_CANDIDATE,
                    ice.firstUseCandidateNanos());
        }
    }

    private void onTimer() {
        agent.handleTimeout(clock.nanoTime());
        drainIceEvents();
    }

    private void drainIceEvents() {
        IceEvent event;
        while ((event = agent.pollEvent()) != null) {
            WebRtcLeg leg = legsByUfrag.get(event.leg().localCredentials().ufrag());
            if (leg == null || leg.iceLeg() != event.leg()) {
                continue;
            }
            if (event instanceof IceEvent.Nominated n) {
                leg.deliverNominated(n.path());
            } else if (event instanceof IceEvent.ConsentLost) {
                // Consent expires on a timer, not on a STUN packet: publish the agent's count for stats().
                iceStats = agent.stats();
                leg.deliverEnd(LegEndReason.CONSENT_LOST);
            }
        }
    }

    private final class UdpHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof DatagramPacket packet)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            try {
                dispatch(packet.content(), IcePath.udp(packet.sender()));
            } catch (RuntimeException e) {
                counters.unknownPackets.increment();
                log.debug("packet from {} dropped", packet.sender(), e);
            } finally {
                packet.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flushInbound();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("WebRTC UDP socket error", cause);
        }
    }

    /** One passive ICE-TCP connection (RFC 6544): RFC 4571 frames, each routed like a datagram. */
    private final class TcpHandler extends ChannelInboundHandlerAdapter {
        private Rfc4571Decoder decoder;
        private InetSocketAddress remote;
        private final List<ByteBuf> frames = new ArrayList<>();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            remote = (InetSocketAddress) ctx.channel().remoteAddress();
            if (!options.peerFilter().test(remote.getAddress())) {
                counters.peersRefused.increment();
                remote = null;
                ctx.close();
                return;
            }
            if (tcpConnections.size() >= MAX_TCP_CONNECTIONS || closed) {
                ctx.close();
                return;
            }
            decoder = new Rfc4571Decoder(ctx.alloc(), MAX_TCP_FRAME);
            tcpConnections.put(remote, ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf in) || decoder == null) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            Rfc4571Decoder.Result result;
            try {
                result = decoder.decode(in, frames);
            } finally {
                in.release();
            }
            IcePath path = IcePath.tcp(remote);
            for (ByteBuf frame : frames) {
                try {
                    dispatch(frame, path);
                } catch (RuntimeException e) {
                    counters.unknownPackets.increment();
                } finally {
                    frame.release();
                }
            }
            frames.clear();
            flushInbound();
            if (result == Rfc4571Decoder.Result.FRAME_TOO_LONG) {
                counters.unknownPackets.increment();
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (remote != null) {
                tcpConnections.remove(remote, ctx.channel());
            }
            if (decoder != null) {
                decoder.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("ICE-TCP connection {} failed", remote, cause);
            ctx.close();
        }
    }
}
