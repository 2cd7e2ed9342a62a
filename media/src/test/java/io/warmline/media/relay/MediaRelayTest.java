package io.warmline.media.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.warmline.media.codec.G711;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.LeakCheck;
import io.warmline.media.transport.LegFormat;
import io.warmline.media.transport.MediaLeg;
import io.warmline.media.transport.MediaLegOptions;
import io.warmline.media.transport.RtpEndpoint;
import io.warmline.media.transport.RtpPortAllocator;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Relays between two legs over loopback, with plain sockets as the caller's and the callee's phones. */
@ExtendWith(LeakCheck.class)
class MediaRelayTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int TIMEOUT_MILLIS = 3000;
    private static NioEventLoopGroup group;
    private static EventLoop loop;
    private static NioEventLoopGroup otherGroup;

    private final ManualClock clock = new ManualClock(5_000_000_000L);
    private RtpPortAllocator ports;
    private MediaLeg a;
    private MediaLeg b;
    private DatagramSocket phoneA;
    private DatagramSocket phoneB;
    private MediaRelay relay;

    @BeforeAll
    static void startLoop() {
        group = new NioEventLoopGroup(1);
        loop = group.next();
        otherGroup = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        otherGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void setUp() throws Exception {
        int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(15000);
        ports = new RtpPortAllocator(base, base + 99);
        MediaLegOptions options = new MediaLegOptions(Duration.ofSeconds(10), Duration.ofSeconds(2), clock, "relay@test");
        a = MediaLeg.open(loop, LOOPBACK, ports, options);
        b = MediaLeg.open(loop, LOOPBACK, ports, options);
        phoneA = phone();
        phoneB = phone();
        a.setRemote((InetSocketAddress) phoneA.getLocalSocketAddress(), null);
        b.setRemote((InetSocketAddress) phoneB.getLocalSocketAddress(), null);
    }

    @AfterEach
    void tearDown() throws Exception {
        onLoop(() -> {
            if (relay != null) {
                relay.close();
            }
            a.close();
            b.close();
            return null;
        });
        phoneA.close();
        phoneB.close();
        assertEquals(0, ports.inUse());
    }

    private static DatagramSocket phone() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        s.setSoTimeout(TIMEOUT_MILLIS);
        return s;
    }

    private static <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private void connect(String encA, int ptA, int teA, String encB, int ptB, int teB) throws Exception {
        a.setFormat(ptA, encA, 8000, teA);
        b.setFormat(ptB, encB, 8000, teB);
        relay = MediaRelay.connect(a, b);
        onLoop(() -> null);
    }

    private static void send(DatagramSocket from, MediaLeg to, byte[] packet) throws IOException {
        from.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(LOOPBACK, to.localRtpPort())));
    }

    private static ByteBuf receive(DatagramSocket s) throws IOException {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        return Unpooled.wrappedBuffer(Arrays.copyOf(buf, p.getLength()));
    }

    private static byte[] nothingWithin(DatagramSocket s, int millis) throws IOException {
        s.setSoTimeout(millis);
        try {
            return receive(s).array();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            s.setSoTimeout(TIMEOUT_MILLIS);
        }
    }

    private static byte[] rtp(int pt, boolean marker, int seq, long ts, long ssrc, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        RtpHeader.writeHeader(b, pt, marker, seq, ts, ssrc);
        b.writeBytes(payload);
        byte[] out = Arrays.copyOf(b.array(), b.writerIndex());
        b.release();
        return out;
    }

    private static byte[] allCodes() {
        byte[] p = new byte[256];
        for (int i = 0; i < 256; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    private static byte[] payloadOf(ByteBuf packet) {
        byte[] p = new byte[RtpHeader.payloadLength(packet)];
        packet.getBytes(RtpHeader.payloadOffset(packet), p);
        return p;
    }

    @Test
    void pcmuToPcmaAndBackByteExact() throws Exception {
        connect("PCMU", 0, -1, "PCMA", 8, -1);

        send(phoneA, a, rtp(0, false, 10, 1000, 0x1111, allCodes()));
        ByteBuf atB = receive(phoneB);
        assertEquals(8, RtpHeader.payloadType(atB));
        assertEquals(b.localSsrc(), RtpHeader.ssrc(atB));
        byte[] alaw = payloadOf(atB);
        assertEquals(256, alaw.length);
        for (int u = 0; u < 256; u++) {
            assertEquals(G711.ulawToAlaw((byte) u), alaw[u], "u-law code " + u);
        }
        // G.711 Table 3 fixed points: ±0 and the extremes
        assertEquals((byte) 0xD5, alaw[0xFF]);
        assertEquals((byte) 0x55, alaw[0x7F]);
        assertEquals((byte) 0xAA, alaw[0x80]);
        assertEquals((byte) 0x2A, alaw[0x00]);

        send(phoneB, b, rtp(8, false, 500, 7000, 0x2222, allCodes()));
        ByteBuf atA = receive(phoneA);
        assertEquals(0, RtpHeader.payloadType(atA));
        assertEquals(a.localSsrc(), RtpHeader.ssrc(atA));
        byte[] ulaw = payloadOf(atA);
        for (int x = 0; x < 256; x++) {
            assertEquals(G711.alawToUlaw((byte) x), ulaw[x], "A-law code " + x);
        }
        // G.711 Table 4 extremes
        assertEquals((byte) 0x80, ulaw[0xAA]);
        assertEquals((byte) 0x00, ulaw[0x2A]);

        MediaRelayStats s = relay.stats();
        assertEquals(1, s.forwardedAtoB());
        assertEquals(1, s.forwardedBtoA());
        assertEquals(2, s.transcoded());
        atB.release();
        atA.release();
    }

    @Test
    void sameCodecPassesPayloadUntouchedAndPaddingSurvives() throws Exception {
        connect("PCMA", 8, -1, "pcma", 8, -1);
        byte[] payload = allCodes();
        byte[] padded = rtp(8, false, 1, 0, 9, Arrays.copyOf(payload, 160 + 4));
        padded[0] |= 0x20;
        padded[padded.length - 1] = 4;
        send(phoneA, a, padded);
        ByteBuf got = receive(phoneB);
        assertEquals(padded.length, got.readableBytes());
        assertArrayEquals(Arrays.copyOf(payload, 160), payloadOf(got));
        assertEquals(0, relay.stats().transcoded());
        got.release();
    }

    @Test
    void transcodingLeavesPaddingAlone() throws Exception {
        connect("PCMU", 0, -1, "PCMA", 8, -1);
        byte[] padded = rtp(0, false, 1, 0, 9, new byte[] {(byte) 0xFF, (byte) 0xFF, 0, 0, 0, 3});
        padded[0] |= 0x20;
        send(phoneA, a, padded);
        ByteBuf got = receive(phoneB);
        assertEquals(padded.length, got.readableBytes());
        assertArrayEquals(new byte[] {(byte) 0xD5, (byte) 0xD5, (byte) 0x2A}, payloadOf(got));
        assertEquals(0, got.getByte(got.writerIndex() - 2));
        assertEquals(3, got.getByte(got.writerIndex() - 1));
        got.release();
    }

    @Test
    void rewritesAcrossInputSsrcChange() throws Exception {
        connect("PCMU", 0, -1, "PCMU", 0, -1);
        long[] seq = new long[6];
        long[] ts = new long[6];
        boolean[] marker = new boolean[6];
        for (int i = 0; i < 6; i++) {
            boolean newSource = i >= 3;
            long ssrc = newSource ? 0xBBBB : 0xAAAA;
            int inSeq = newSource ? 40000 + i : 100 + i;
            long inTs = newSource ? 0xFFFFFF00L + i * 160L : 16000 + i * 160L;
            if (i > 0) {
                // the relay stamps elapsed time from the clock; between the two sources 100 ms pass
                clock.advanceMillis(i == 3 ? 100 : 20);
            }
            send(phoneA, a, rtp(0, false, inSeq, inTs, ssrc, new byte[160]));
            ByteBuf got = receive(phoneB);
            assertEquals(b.localSsrc(), RtpHeader.ssrc(got));
            seq[i] = RtpHeader.sequence(got);
            ts[i] = RtpHeader.timestamp(got);
            marker[i] = RtpHeader.marker(got);
            got.release();
        }
        for (int i = 1; i < 6; i++) {
            assertEquals((seq[i - 1] + 1) & 0xFFFF, seq[i], "seq " + i);
            long expectedStep = i == 3 ? 800 : 160;
            assertEquals((ts[i - 1] + expectedStep) & 0xFFFFFFFFL, ts[i], "ts " + i);
        }
        assertTrue(marker[0]);
        assertFalse(marker[1]);
        assertFalse(marker[2]);
        assertTrue(marker[3], "marker on the new source's first packet");
        assertFalse(marker[4]);
        assertFalse(marker[5]);
    }

    @Test
    void telephoneEventsMapToOtherLegsPayloadType() throws Exception {
        connect("PCMU", 0, 101, "PCMA", 8, 96);
        byte[] event = {5, (byte) 0x8A, 0x03, 0x20};
        send(phoneA, a, rtp(101, true, 1, 800, 7, event));
        ByteBuf got = receive(phoneB);
        assertEquals(96, RtpHeader.payloadType(got));
        assertArrayEquals(event, payloadOf(got), "events are not transcoded");
        got.release();
        send(phoneB, b, rtp(96, true, 1, 800, 8, event));
        got = receive(phoneA);
        assertEquals(101, RtpHeader.payloadType(got));
        got.release();
        assertEquals(0, relay.stats().transcoded());
    }

    @Test
    void telephoneEventsDroppedWhenOtherLegHasNone() throws Exception {
        connect("PCMU", 0, 101, "PCMU", 0, -1);
        send(phoneA, a, rtp(101, true, 1, 800, 7, new byte[] {1, 0, 0, (byte) 160}));
        // an unnegotiated payload type is dropped too
        send(phoneA, a, rtp(18, false, 2, 960, 7, new byte[20]));
        byte[] audio = rtp(0, false, 3, 960, 7, new byte[160]);
        send(phoneA, a, audio);
        ByteBuf got = receive(phoneB);
        assertEquals(0, RtpHeader.payloadType(got));
        assertEquals(172, got.readableBytes());
        got.release();
        MediaRelayStats s = relay.stats();
        assertEquals(1, s.droppedTelephoneEvent());
        assertEquals(1, s.droppedUnknownPayloadType());
        assertEquals(1, s.forwardedAtoB());
        assertNull(nothingWithin(phoneB, 50));
    }

    @Test
    void formatChangeAppliesToNextPacket() throws Exception {
        connect("PCMU", 0, -1, "PCMA", 8, -1);
        send(phoneA, a, rtp(0, false, 1, 0, 7, new byte[] {(byte) 0xFF}));
        ByteBuf got = receive(phoneB);
        assertEquals((byte) 0xD5, payloadOf(got)[0]);
        got.release();
        // re-INVITE: the callee now uses PCMU with payload type 0
        b.setFormat(0, "PCMU", 8000, -1);
        onLoop(() -> null);
        send(phoneA, a, rtp(0, false, 2, 160, 7, new byte[] {(byte) 0xFF}));
        got = receive(phoneB);
        assertEquals(0, RtpHeader.payloadType(got));
        assertEquals((byte) 0xFF, payloadOf(got)[0]);
        got.release();
    }

    @Test
    void everyFormatALegMayReceiveGoesOutAsTheOtherLegsCodec() throws Exception {
        // the caller's answer listed PCMU and PCMA: we send PCMU, it may send either (RFC 3264 §6.1)
        a.setFormat(new LegFormat(0, "PCMU", 8000, 101, List.of(new LegFormat.Audio(8, "PCMA", 8000))));
        b.setFormat(0, "PCMU", 8000, 101);
        relay = MediaRelay.connect(a, b);
        onLoop(() -> null);
        send(phoneA, a, rtp(8, false, 1, 0, 7, new byte[] {(byte) 0xD5, (byte) 0x2A}));
        ByteBuf got = receive(phoneB);
        assertEquals(0, RtpHeader.payloadType(got));
        assertArrayEquals(new byte[] {G711.alawToUlaw((byte) 0xD5), G711.alawToUlaw((byte) 0x2A)}, payloadOf(got));
        got.release();
        send(phoneA, a, rtp(0, false, 2, 160, 7, new byte[] {(byte) 0xFF}));
        got = receive(phoneB);
        assertEquals(0, RtpHeader.payloadType(got));
        assertEquals((byte) 0xFF, payloadOf(got)[0]);
        got.release();
        send(phoneA, a, rtp(9, false, 3, 320, 7, new byte[] {1}));
        assertNull(nothingWithin(phoneB, 50), "G.722 was not agreed");
        assertEquals(1, relay.stats().droppedUnknownPayloadType());
        assertEquals(1, relay.stats().transcoded());
    }

    @Test
    void noFormatYetDropsAndCounts() throws Exception {
        a.setFormat(0, "PCMU", 8000, -1);
        relay = MediaRelay.connect(a, b);
        onLoop(() -> null);
        send(phoneA, a, rtp(0, false, 1, 0, 7, new byte[10]));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (relay.stats().droppedNoFormat() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(1, relay.stats().droppedNoFormat());
        assertNull(nothingWithin(phoneB, 50));
    }

    @Test
    void incompatibleCodecsAreDropped() throws Exception {
        connect("PCMU", 0, -1, "G722", 9, -1);
        send(phoneA, a, rtp(0, false, 1, 0, 7, new byte[10]));
        send(phoneB, b, rtp(9, false, 1, 0, 7, new byte[10]));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (relay.stats().droppedUnknownPayloadType() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(2, relay.stats().droppedUnknownPayloadType());
    }

    @Test
    void closeRestoresListenersAndStopsForwarding() throws Exception {
        AtomicInteger delivered = new AtomicInteger();
        RtpEndpoint.Listener own = new RtpEndpoint.Listener() {
            @Override
            public void onRtp(RtpEndpoint leg, ByteBuf packet) {
                delivered.incrementAndGet();
                packet.release();
            }

            @Override
            public void onNoMedia(RtpEndpoint leg) {
            }
        };
        a.setListener(own);
        connect("PCMU", 0, -1, "PCMU", 0, -1);
        relay.close();
        relay.close();
        assertSame(own, onLoop(a::listener));
        assertNull(onLoop(b::listener));
        send(phoneA, a, rtp(0, false, 1, 0, 7, new byte[10]));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (delivered.get() == 0 && System.nanoTime() < deadline) {
            onLoop(() -> null);
        }
        assertEquals(1, delivered.get());
        assertNull(nothingWithin(phoneB, 50));
    }

    @Test
    void noMediaGoesToHandler() throws Exception {
        connect("PCMU", 0, -1, "PCMU", 0, -1);
        AtomicReference<MediaLeg> silent = new AtomicReference<>();
        relay.onNoMedia(silent::set);
        // keep A alive, let B fall silent
        send(phoneA, a, rtp(0, false, 1, 0, 7, new byte[10]));
        receive(phoneB).release();
        clock.advance(Duration.ofSeconds(9));
        send(phoneA, a, rtp(0, false, 2, 160, 7, new byte[10]));
        receive(phoneB).release();
        clock.advance(Duration.ofSeconds(2));
        // the legs' periodic check reads the advanced clock within its period; wait for it, bounded
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (silent.get() == null && System.nanoTime() < deadline) {
            onLoop(() -> null);
        }
        assertSame(b, silent.get());
    }

    @Test
    void legsMustShareALoop() throws Exception {
        MediaLegOptions options = new MediaLegOptions(Duration.ofSeconds(10), Duration.ofSeconds(2), clock, "x");
        MediaLeg elsewhere = MediaLeg.open(otherGroup.next(), LOOPBACK, ports, options);
        try {
            assertThrows(IllegalArgumentException.class, () -> MediaRelay.connect(a, elsewhere));
            assertThrows(IllegalArgumentException.class, () -> MediaRelay.connect(a, a));
        } finally {
            otherGroup.next().submit(elsewhere::close).get(5, TimeUnit.SECONDS);
        }
    }
}
