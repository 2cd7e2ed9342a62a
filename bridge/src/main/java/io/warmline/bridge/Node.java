package io.warmline.bridge;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.warmline.bridge.call.CallMedia;
import io.warmline.bridge.call.CallRouter;
import io.warmline.bridge.call.CallSettings;
import io.warmline.bridge.http.HttpServer;
import io.warmline.config.ListenPoint;
import io.warmline.config.WarmlineConfig;
import io.warmline.media.time.NanoClock;
import io.warmline.media.transport.RtpPortAllocator;
import io.warmline.sip.SipService;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Warmline process: SIP, media and HTTP wired from one config. */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** Time given to the BYE transactions of the calls ended at the drain deadline. */
    private static final Duration HANGUP_GRACE = Duration.ofSeconds(2);

    private final WarmlineConfig config;
    private final EventLoopGroup callLoops;
    private final RtpPortAllocator ports;
    private final CallRouter router;
    private final SipService sip;
    private final HttpServer http;

    public Node(WarmlineConfig config) {
        this.config = config;
        // One event loop per core owns every media socket; each call is pinned to one of them.
        this.callLoops = new NioEventLoopGroup(0, new DefaultThreadFactory("warmline-call"));
        this.ports = new RtpPortAllocator(config.media().rtpPortMin(), config.media().rtpPortMax());
        CallSettings settings = new CallSettings(
                config.node().advertisedAddress(),
                mediaBindAddress(config),
                config.media().noMediaTimeout(),
                config.media().latchWindow(),
                NanoClock.SYSTEM);
        this.router = new CallRouter(config, settings, ports, callLoops, SipMapping::trunk);
        this.sip = new SipService(SipMapping.settings(config), router.sipTrunks(), router);
        this.router.attach(sip);
        this.http = new HttpServer(config.http().listen(), router::isAccepting);
    }

    public void start() throws Exception {
        CallMedia.warmUp();
        sip.start();
        http.start();
    }

    public String describeEndpoints() {
        String sipPoints = config.sip().listen().stream()
                .map(p -> p.transport().name().toLowerCase() + ":" + p.address())
                .collect(Collectors.joining(","));
        return "sip=" + sipPoints + " http=" + config.http().listen() + " rtp=" + config.media().rtpPortMin() + "-"
                + config.media().rtpPortMax() + " advertised=" + config.node().advertisedAddress()
                + " trunks=" + config.trunks().size() + " routes=" + config.routes().size();
    }

    /** Stops taking calls, lets current calls run up to the drain time, ends the rest with BYE, then stops. */
    public int drainAndClose() {
        Duration drain = config.node().drainTime();
        log.info("Draining: new calls refused, {} active, waiting up to {}", router.activeCalls(), drain);
        router.stopAccepting();
        sip.stopAccepting();
        boolean drained = router.awaitNoCalls(drain);
        if (!drained) {
            log.info("Drain time over: ending {} calls", router.activeCalls());
            router.hangupAll();
            router.awaitNoCalls(HANGUP_GRACE);
        }
        close();
        log.info("Stopped");
        return 0;
    }

    @Override
    public void close() {
        http.close();
        sip.close();
        callLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Media sockets bind where signalling listens when that is one address; else on every address. */
    private static InetAddress mediaBindAddress(WarmlineConfig config) {
        try {
            for (ListenPoint p : config.sip().listen()) {
                InetAddress a = InetAddress.getByName(p.address().host());
                if (!a.isAnyLocalAddress()) {
                    return a;
                }
            }
            return InetAddress.getByName("0.0.0.0");
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve a SIP listen address: " + e.getMessage(), e);
        }
    }
}
