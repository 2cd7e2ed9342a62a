package io.warmline.media.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.time.ManualClock;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Every test runs on an NIO loop and on an epoll loop (the leg binds its loop's kind of socket). */
@ExtendWith(LeakCheck.class)
@ParameterizedClass(name = "{0}")
@EnumSource(NettyTransport.class)
class MediaLegTest {

    private static final long MS = 1_000_000L;
    private static EventLoopGroup group;
    private static EventLoop loop;

    @Parameter
    NettyTransport transport;

    private final ManualClock clock = new ManualClock(1_000_000 * MS);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RtpPortAllocator ports;

    @BeforeParameterizedClassInvocation
    static void startLoop(NettyTransport transport) {
        group = transport.newGroup(1, new DefaultThreadFactory("media-leg-test-" + transport.configName()));
        loop = group.next();
    }

    static void startLoop() {
        startLoop(NettyTransport.NIO);
    }

    @AfterParameterizedClassInvocation
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static EventLoop loopForTests() {
        return loop;
    }

    @BeforeEach
    void setUp() {
        int[] range = UdpPeer.freeRange(4);
        ports = new RtpPortAllocator(range[0], range[1]);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            if (c instanceof MediaLeg leg) {
                onLoop(() -> {
                    leg.close();
                    return null;
                });
            } else {
                c.close();
            }
        }
        assertEquals(0, ports.inUse(), "ports leaked");
    }

    /** Returns once every task hopped onto the loop before it has run (the loop runs tasks in order). */
    static void barrier() throws Exception {
        onLoop(() -> null);
    }

    static <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** Waits, bounded, until the leg's counters satisfy {@code condition} (each check is a loop round trip). */
    static MediaLegStats awaitStats(MediaLeg leg, java.util.function.Predicate<MediaLegStats> condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UdpPeer.TIMEOUT_MILLIS);
        MediaLegStats s = leg.stats();
        while (!condition.test(s) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            s = leg.stats();
        }
        assertTrue(condition.test(s), "condition not reached: " + s);
        return s;
    }

    private MediaLegOptions options() {
        return new MediaLegOptions(Duration.ofSeconds(10), Duration.ofSeconds(2), clock, "leg@test");
    }

    private MediaLeg open() throws Exception {
        MediaLeg leg = MediaLeg.open(loop, UdpPeer.LOOPBACK, ports, options());
        toClose.add(leg);
        return leg;
    }

    private UdpPeer peer() throws Exception {
        UdpPeer p = new UdpPeer();
        toClose.add(p);
        return p;
    }

    /** Collects RTP handed to the listener; the test releases what it takes. */
    static final class Collector implements RtpEndpoint.Listener {
        final LinkedBlockingQueue<ByteBuf> packets = new LinkedBlockingQueue<>();
        final AtomicInteger noMedia = new AtomicInteger();

        @Override
        public void onRtp(RtpEndpoint leg, ByteBuf packet) {
            packets.add(packet);
        }

        @Override
        public void onNoMedia(RtpEndpoint leg) {
            noMedia.incrementAndGet();
        }

        byte[] take() throws InterruptedException {
            ByteBuf b = packets.poll(UdpPeer.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull(b, "no RTP delivered");
            try {
                // epoll reads into a buffer and hands on a retained slice of it, dropping its own reference once
                // the read returns: the listener's is then the only one left
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UdpPeer.TIMEOUT_MILLIS);
                while (b.refCnt() > 1 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertEquals(1, b.refCnt());
                return ByteBufUtil.getBytes(b);
            } finally {
                b.release();
            }
        }
    }

    @Test
    void receivesAndSendsRtpSymmetrically() throws Exception {
        MediaLeg leg = open();
        UdpPeer peer = peer();
        Collector c = new Collector();
        leg.setListener(c);
        leg.setRemote(peer.address(), null);
        barrier();

        byte[] in = UdpPeer.rtp(8, false, 1, 160, 0x1111, UdpPeer.payload(160, 1));
        peer.sendTo(leg.localRtpPort(), in);
        assertArrayEquals(in, c.take());

        ByteBuf out = Unpooled.directBuffer(172);
        RtpHeader.writeHeader(out, 8, true, 77, 999, leg.localSsrc());
        out.writeBytes(UdpPeer.payload(160, 2));
        byte[] expected = ByteBufUtil.getBytes(out);
        leg.send(out);
        assertArrayEquals(expected, peer.receive());
        barrier(); // the loop releases the buffer after the write, which may finish after the peer has it
        assertEquals(0, out.refCnt());

        MediaLegStats s = leg.stats();
        assertEquals(1, s.packetsIn());
        assertEquals(172, s.bytesIn());
        assertEquals(1, s.packetsOut());
        assertEquals(172, s.bytesOut());
        assertEquals(0, s.malformedDropped());
        assertEquals(0, s.foreignSourceDropped());
    }

    @Test
    void sendsNothingWhileTheRemoteHoldsAndResumesAfter() throws Exception {
        MediaLeg leg = open();
        UdpPeer peer = peer();
        leg.setRemote(peer.address(), null);
        leg.setSending(false);
        barrier();

        ByteBuf held = Unpooled.directBuffer(172);
        RtpHeader.writeHeader(held, 0, false, 1, 0, leg.localSsrc());
        held.writeBytes(UdpPeer.payload(160, 4));
        onLoop(() -> {
            leg.send(held);
            return null;
        });
        assertEquals(0, held.refCnt(), "a suppressed packet is released");
        assertNull(peer.receiveOrNull(200), "nothing reaches a remote that holds");
        assertEquals(1L, onLoop(leg::sendSuppressed));
        assertEquals(0, leg.stats().packetsOut());

        leg.setSending(true);
        ByteBuf resumed = Unpooled.directBuffer(172);
        RtpHeader.writeHeader(resumed, 0, false, 2, 160, leg.localSsrc());
        resumed.writeBytes(UdpPeer.payload(160, 5));
        byte[] expected = ByteBufUtil.getBytes(resumed);
        leg.send(resumed);
        assertArrayEquals(expected, peer.receive());
    }

    @Test
    void latchesNatAddressAndSendsThere() throws Exception {
        MediaLeg leg = open();
        UdpPeer natted = peer();
        Collector c = new Collector();
        leg.setListener(c);
        // SDP names an address nobody sends from; the peer behind NAT is learned in the window
        leg.setRemote(new InetSocketAddress(UdpPeer.LOOPBACK, 9), null);
        barrier();
        peer(); // keep the order of sockets stable
        natted.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, 1, 0, 5, UdpPeer.payload(160, 3)));
        c.take();

        ByteBuf out = Unpooled.buffer();
        RtpHeader.writeHeader(out, 0, false, 1, 0, leg.localSsrc());
        leg.send(out);
        byte[] got = natted.receive();
        assertEquals(12, got.length);
    }

    @Test
    void malformedPacketsAreCountedAndDropped() throws Exception {
        MediaLeg leg = open();
        UdpPeer peer = peer();
        Collector c = new Collector();
        leg.setListener(c);
        leg.setRemote(peer.address(), null);
        barrier();

        peer.sendTo(leg.localRtpPort(), new byte[] {1, 2, 3});
        peer.sendTo(leg.localRtpPort(), new byte[] {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0});
        byte[] badPadding = UdpPeer.rtp(0, false, 2, 0, 5, new byte[] {0, 0, 9});
        badPadding[0] |= 0x20;
        peer.sendTo(leg.localRtpPort(), badPadding);
        peer.sendTo(leg.localRtpPort(), new byte[2000]);
        byte[] good = UdpPeer.rtp(0, false, 3, 0, 5, UdpPeer.payload(20, 4));
        peer.sendTo(leg.localRtpPort(), good);
        // loopback keeps the order of one sender's datagrams: when the good packet is here, the rest were handled
        assertArrayEquals(good, c.take());
        assertEquals(4, leg.stats().malformedDropped());
        assertEquals(1, leg.stats().packetsIn());
        assertTrue(c.packets.isEmpty());
    }

    @Test
    void foreignSourceDroppedAfterLatchWindow() throws Exception {
        MediaLeg leg = open();
        UdpPeer sdpPeer = peer();
        UdpPeer attacker = peer();
        Collector c = new Collector();
        leg.setListener(c);
        leg.setRemote(sdpPeer.address(), null);
        barrier();

        sdpPeer.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, 1, 0, 5, UdpPeer.payload(10, 1)));
        c.take();
        clock.advanceMillis(2500);
        attacker.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, 2, 160, 6, UdpPeer.payload(10, 2)));
        byte[] after = UdpPeer.rtp(0, false, 2, 160, 5, UdpPeer.payload(10, 3));
        sdpPeer.sendTo(leg.localRtpPort(), after);
        assertArrayEquals(after, c.take());
        // the attacker's packet was handled before the next good packet arrives
        sdpPeer.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, 3, 320, 5, UdpPeer.payload(10, 4)));
        c.take();
        assertEquals(1, leg.stats().foreignSourceDropped());
        assertEquals(3, leg.stats().packetsIn());
        assertTrue(c.packets.isEmpty());
    }

    @Test
    void nothingAcceptedBeforeRemoteIsKnown() throws Exception {
        MediaLeg leg = open();
        UdpPeer peer = peer();
        Collector c = new Collector();
        leg.setListener(c);
        peer.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, 1, 0, 5, UdpPeer.payload(10, 1)));
        awaitStats(leg, s -> s.foreignSourceDropped() == 1);
        leg.setRemote(peer.address(), null);
        barrier();
        byte[] good = UdpPeer.rtp(0, false, 2, 0, 5, UdpPeer.payload(10, 2));
        peer.sendTo(leg.localRtpPort(), good);
        assertArrayEquals(good, c.take());
        assertEquals(1, leg.stats().foreignSourceDropped());
    }

    @Test
    void sendWithoutRemoteIsDroppedAndReleased() throws Exception {
        MediaLeg leg = open();
        ByteBuf out = Unpooled.buffer();
        RtpHeader.writeHeader(out, 0, false, 1, 0, 1);
        onLoop(() -> {
            leg.send(out);
            return null;
        });
        assertEquals(0, out.refCnt());
        assertEquals(1, leg.stats().sendDropped());
        assertEquals(0, leg.stats().packetsOut());
    }

    @Test
    void packetsWithoutListenerAreReleased() throws Exception {
        MediaLeg leg = open();
        UdpPeer peer = peer();
        leg.setRemote(peer.address(), null);
        barrier();
        peer.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, 1, 0, 5, UdpPeer.payload(10, 1)));
        awaitStats(leg, s -> s.packetsIn() == 1);
        Collector c = new Collector();
        leg.setListener(c);
        barrier();
        peer.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, 2, 0, 5, UdpPeer.payload(10, 1)));
        c.take();
        assertEquals(2, leg.stats().packetsIn());
    }

    @Test
    void portExhaustionThrowsAndCloseReleases() throws Exception {
        int[] range = UdpPeer.freeRange(1);
        RtpPortAllocator one = new RtpPortAllocator(range[0], range[1]);
        MediaLeg first = MediaLeg.open(loop, UdpPeer.LOOPBACK, one, options());
        assertEquals(range[0], first.localRtpPort());
        PortsExhaustedException e = assertThrows(PortsExhaustedException.class,
                () -> MediaLeg.open(loop, UdpPeer.LOOPBACK, one, options()));
        assertEquals(503, e.sipStatus());
        onLoop(() -> {
            first.close();
            first.close();
            return null;
        });
        assertTrue(first.isClosed());
        assertEquals(0, one.inUse());
        MediaLeg again = reopen(one);
        assertEquals(range[0], again.localRtpPort());
        onLoop(() -> {
            again.close();
            return null;
        });
        assertEquals(0, one.inUse());
    }

    /**
     * Opens on a pair that was just closed. A closed NIO socket that was registered with a selector keeps its port
     * until the loop's next select, so the first attempts may find the pair still bound; retry, bounded.
     */
    private MediaLeg reopen(RtpPortAllocator allocator) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (true) {
            try {
                return MediaLeg.open(loop, UdpPeer.LOOPBACK, allocator, options());
            } catch (PortsExhaustedException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                barrier();
            }
        }
    }

    @Test
    void bindsTheSocketsOfItsLoopsTransport() throws Exception {
        assertEquals(transport, NettyTransport.of(loop));
        MediaLeg leg = open();
        assertEquals(transport.datagramChannel(), leg.channelClassForTests());
    }

    @Test
    void closeFromAnotherThreadReleasesPorts() throws Exception {
        MediaLeg leg = MediaLeg.open(loop, UdpPeer.LOOPBACK, ports, options());
        assertEquals(1, ports.inUse());
        leg.close();
        onLoop(() -> null); // the close task ran before this one
        assertTrue(leg.isClosed());
        assertEquals(0, ports.inUse());
    }

    @Test
    void portsTakenByOthersAreSkipped() throws Exception {
        int[] range = UdpPeer.freeRange(2);
        RtpPortAllocator two = new RtpPortAllocator(range[0], range[1]);
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(UdpPeer.LOOPBACK, range[0] + 1))) {
            MediaLeg leg = MediaLeg.open(loop, UdpPeer.LOOPBACK, two, options());
            assertEquals(range[0] + 2, leg.localRtpPort());
            assertEquals(1, two.inUse());
            // the only other pair is held by another socket
            assertThrows(PortsExhaustedException.class, () -> MediaLeg.open(loop, UdpPeer.LOOPBACK, two, options()));
            assertEquals(1, two.inUse());
            onLoop(() -> {
                leg.close();
                return null;
            });
            assertEquals(0, two.inUse());
            assertTrue(squatter.isBound());
        }
    }

    @Test
    void noMediaFiresThroughFakeClock() throws Exception {
        MediaLeg leg = open();
        UdpPeer peer = peer();
        Collector c = new Collector();
        leg.setListener(c);
        long t0 = clock.nanoTime();
        onLoop(() -> {
            // without a remote there is no media to expect
            leg.checkTimers(t0 + 60_000 * MS);
            return null;
        });
        assertEquals(0, c.noMedia.get());
        leg.setRemote(peer.address(), null);
        barrier();
        peer.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, 1, 0, 5, UdpPeer.payload(10, 1)));
        c.take();
        long heard = clock.nanoTime();
        onLoop(() -> {
            leg.checkTimers(heard + 9_999 * MS);
            return null;
        });
        assertEquals(0, c.noMedia.get());
        onLoop(() -> {
            leg.checkTimers(heard + 10_000 * MS);
            leg.checkTimers(heard + 10_200 * MS);
            leg.checkTimers(heard + 19_000 * MS);
            return null;
        });
        assertEquals(1, c.noMedia.get());
        onLoop(() -> {
            leg.checkTimers(heard + 20_000 * MS);
            return null;
        });
        assertEquals(2, c.noMedia.get());
    }

    @Test
    void holdSuspendsNoMediaWatchdog() throws Exception {
        MediaLeg leg = open();
        UdpPeer peer = peer();
        Collector c = new Collector();
        leg.setListener(c);
        leg.setRemote(peer.address(), null);
        leg.setMediaExpected(false);
        barrier();
        long t0 = clock.nanoTime();
        onLoop(() -> {
            leg.checkTimers(t0 + 60_000 * MS);
            return null;
        });
        assertEquals(0, c.noMedia.get());
        clock.advance(Duration.ofSeconds(60));
        leg.setMediaExpected(true);
        barrier();
        long resumed = clock.nanoTime();
        onLoop(() -> {
            leg.checkTimers(resumed + 9_999 * MS);
            return null;
        });
        assertEquals(0, c.noMedia.get());
        onLoop(() -> {
            leg.checkTimers(resumed + 10_000 * MS);
            return null;
        });
        assertEquals(1, c.noMedia.get());
    }

    @Test
    void noMediaFiresFromTheLoopTimer() throws Exception {
        MediaLeg leg = open();
        UdpPeer peer = peer();
        Collector c = new Collector();
        leg.setListener(c);
        leg.setRemote(peer.address(), null);
        barrier();
        onLoop(() -> null);
        clock.advance(Duration.ofSeconds(11));
        // the periodic task reads the advanced clock within its period; wait for it, bounded
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (c.noMedia.get() == 0 && System.nanoTime() < deadline) {
            onLoop(() -> null);
            Thread.onSpinWait();
        }
        assertEquals(1, c.noMedia.get());
    }

    @Test
    void setRemoteRestartsLearning() throws Exception {
        MediaLeg leg = open();
        UdpPeer first = peer();
        UdpPeer second = peer();
        Collector c = new Collector();
        leg.setListener(c);
        leg.setRemote(first.address(), null);
        barrier();
        first.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, 1, 0, 5, UdpPeer.payload(10, 1)));
        c.take();
        clock.advanceMillis(3000);
        leg.setRemote(second.address(), null);
        barrier();
        byte[] fromSecond = UdpPeer.rtp(0, false, 1, 0, 9, UdpPeer.payload(10, 2));
        second.sendTo(leg.localRtpPort(), fromSecond);
        assertArrayEquals(fromSecond, c.take());
        ByteBuf out = Unpooled.buffer();
        RtpHeader.writeHeader(out, 0, false, 1, 0, leg.localSsrc());
        leg.send(out);
        assertEquals(12, second.receive().length);
        assertNull(first.receiveOrNull(50));
    }

    @Test
    void optionsAreValidated() {
        assertThrows(IllegalArgumentException.class,
                () -> new MediaLegOptions(Duration.ZERO, Duration.ofSeconds(1), clock, "x"));
        assertThrows(IllegalArgumentException.class,
                () -> new MediaLegOptions(Duration.ofSeconds(1), Duration.ofSeconds(-1), clock, "x"));
        assertThrows(IllegalArgumentException.class,
                () -> new MediaLegOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), clock, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new MediaLegOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), clock, "x".repeat(256)));
        assertThrows(NullPointerException.class,
                () -> new MediaLegOptions(Duration.ofSeconds(1), Duration.ofSeconds(1), null, "x"));
    }

    @Test
    void unspecifiedRemoteAddressIsNeverSentTo() throws Exception {
        MediaLeg leg = open();
        // c=0.0.0.0 (hold): sending there would reach this very host
        leg.setRemote(new InetSocketAddress("0.0.0.0", leg.localRtpPort()), null);
        barrier();
        Collector c = new Collector();
        leg.setListener(c);
        ByteBuf out = Unpooled.buffer();
        RtpHeader.writeHeader(out, 0, false, 1, 0, leg.localSsrc());
        onLoop(() -> {
            leg.send(out);
            leg.checkTimers(clock.nanoTime() + 10_000 * MS);
            return null;
        });
        assertEquals(0, out.refCnt());
        MediaLegStats s = leg.stats();
        assertEquals(1, s.sendDropped());
        assertEquals(0, s.rtcpOut());
        assertTrue(c.packets.isEmpty());
    }

    @Test
    void distinctSsrcPerLeg() throws Exception {
        assertNotEquals(open().localSsrc(), open().localSsrc());
    }
}
