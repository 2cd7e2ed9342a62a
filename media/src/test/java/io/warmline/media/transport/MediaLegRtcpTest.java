package io.warmline.media.transport;

import static io.warmline.media.transport.MediaLegTest.awaitStats;
import static io.warmline.media.transport.MediaLegTest.barrier;
import static io.warmline.media.transport.MediaLegTest.onLoop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warmline.media.rtcp.Bye;
import io.warmline.media.rtcp.NtpTime;
import io.warmline.media.rtcp.ReceiverReport;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtcp.RtcpPacket;
import io.warmline.media.rtcp.RtcpParser;
import io.warmline.media.rtcp.RtcpWriter;
import io.warmline.media.rtcp.SenderReport;
import io.warmline.media.rtcp.SourceDescription;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.time.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** RTCP of a {@link MediaLeg} over loopback; the leg's timers are driven through {@code checkTimers}. */
@ExtendWith(LeakCheck.class)
class MediaLegRtcpTest {

    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock(1_000_000 * MS);
    private RtpPortAllocator ports;
    private MediaLeg leg;
    private UdpPeer rtpPeer;
    private UdpPeer rtcpPeer;
    private MediaLegTest.Collector collector;

    @BeforeAll
    static void startLoop() {
        MediaLegTest.startLoop();
    }

    @AfterAll
    static void stopLoop() {
        MediaLegTest.stopLoop();
    }

    @BeforeEach
    void setUp() throws Exception {
        int[] range = UdpPeer.freeRange(2);
        ports = new RtpPortAllocator(range[0], range[1]);
        leg = MediaLeg.open(MediaLegTest.loopForTests(), UdpPeer.LOOPBACK, ports,
                new MediaLegOptions(Duration.ofSeconds(30), Duration.ofSeconds(2), clock, "leg@warmline.test"));
        rtpPeer = new UdpPeer();
        rtcpPeer = new UdpPeer();
        collector = new MediaLegTest.Collector();
        leg.setListener(collector);
        leg.setFormat(0, "PCMU", 8000, -1);
        leg.setRemote(rtpPeer.address(), rtcpPeer.address());
        barrier();
    }

    @AfterEach
    void tearDown() throws Exception {
        onLoop(() -> {
            leg.close();
            return null;
        });
        rtpPeer.close();
        rtcpPeer.close();
        assertEquals(0, ports.inUse());
        assertTrue(collector.packets.isEmpty());
    }

    private void tick(long atNanos) throws Exception {
        onLoop(() -> {
            leg.checkTimers(atNanos);
            return null;
        });
    }

    private static List<RtcpPacket> parse(byte[] datagram) throws Exception {
        ByteBuf b = Unpooled.wrappedBuffer(datagram);
        try {
            return RtcpParser.parse(b);
        } finally {
            b.release();
        }
    }

    private static byte[] compound(RtcpPacket... packets) {
        ByteBuf b = Unpooled.buffer();
        try {
            RtcpWriter.writeCompound(List.of(packets), b);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private void sendRtp(int seq) throws Exception {
        ByteBuf out = Unpooled.buffer();
        RtpHeader.writeHeader(out, 0, false, seq, seq * 160L, leg.localSsrc());
        out.writeZero(160);
        onLoop(() -> {
            leg.send(out);
            return null;
        });
        rtpPeer.receive();
    }

    @Test
    void senderReportWithReceptionBlockThenRoundTripFromPeersReport() throws Exception {
        for (int seq : new int[] {1, 2, 3, 4, 6, 7}) {
            rtpPeer.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, seq, seq * 160L, 0xFEED, new byte[160]));
            collector.take();
        }
        sendRtp(100);
        sendRtp(101);
        long now = clock.advance(Duration.ofSeconds(8));
        tick(now);

        List<RtcpPacket> report = parse(rtcpPeer.receive());
        SenderReport sr = assertInstanceOf(SenderReport.class, report.get(0));
        assertEquals(leg.localSsrc(), sr.ssrc());
        assertEquals(2, sr.packetCount());
        assertEquals(320, sr.octetCount());
        assertEquals(1, sr.reports().size());
        ReportBlock aboutPeer = sr.reports().get(0);
        assertEquals(0xFEED, aboutPeer.ssrc());
        assertEquals(1, aboutPeer.cumulativeLost());
        assertEquals(7, aboutPeer.extendedHighestSeq());
        SourceDescription sdes = assertInstanceOf(SourceDescription.class, report.get(1));
        assertEquals("leg@warmline.test", sdes.cnameOf(leg.localSsrc()).orElseThrow());

        // the peer answers 50 ms later, having held our SR for 20 ms: RTT = 30 ms
        clock.advanceMillis(50);
        ReportBlock aboutUs = new ReportBlock(leg.localSsrc(), 0, 0, 101, 0, NtpTime.middle32(sr.ntpTimestamp()),
                NtpTime.nanosToCompact(20 * MS));
        rtcpPeer.sendTo(leg.localRtcpPort(), compound(new ReceiverReport(0xFEED, List.of(aboutUs)),
                SourceDescription.cname(0xFEED, "peer")));
        MediaLegStats s = awaitStats(leg, x -> x.rtcpIn() == 1);
        assertEquals(30.0, s.rttMs(), 0.1);
        assertEquals(1, s.rtcpOut());
        assertEquals(now, s.lastRtcpSentNanos());
        assertEquals(clock.nanoTime(), s.lastRtcpReceivedNanos());
        assertEquals(1, s.cumulativeLost());
        assertTrue(s.fractionLost() >= 0.0 && s.fractionLost() <= 1.0);
        assertTrue(s.jitterMs() >= 0.0);
    }

    @Test
    void receiverReportWhenNotSendingAndLsrFromPeersSenderReport() throws Exception {
        for (int seq = 1; seq <= 3; seq++) {
            rtpPeer.sendTo(leg.localRtpPort(), UdpPeer.rtp(0, false, seq, seq * 160L, 0xFEED, new byte[160]));
            collector.take();
        }
        long peerNtp = NtpTime.fromUnixNanos(1_600_000_000_000_000_000L);
        rtcpPeer.sendTo(leg.localRtcpPort(), compound(new SenderReport(0xFEED, peerNtp, 480, 3, 480, List.of()),
                SourceDescription.cname(0xFEED, "peer")));
        awaitStats(leg, x -> x.rtcpIn() == 1);
        clock.advanceMillis(8000);
        tick(clock.nanoTime());
        ReceiverReport rr = assertInstanceOf(ReceiverReport.class, parse(rtcpPeer.receive()).get(0));
        ReportBlock block = rr.reports().get(0);
        assertEquals(NtpTime.middle32(peerNtp), block.lastSr());
        assertEquals(NtpTime.nanosToCompact(8000 * MS), block.delaySinceLastSr());
        assertEquals(-1.0, leg.stats().rttMs());
    }

    @Test
    void noReportBeforeItIsDue() throws Exception {
        tick(clock.nanoTime() + 1000 * MS);
        assertNull(rtcpPeer.receiveOrNull(50));
        tick(clock.nanoTime() + 4000 * MS);
        assertNotNull(rtcpPeer.receive());
    }

    @Test
    void malformedRtcpCounted() throws Exception {
        // an SR header claiming more words than the datagram has, and a version-1 packet
        rtcpPeer.sendTo(leg.localRtcpPort(), new byte[] {(byte) 0x80, (byte) 200, 0, 6, 0, 0, 0, 1});
        rtcpPeer.sendTo(leg.localRtcpPort(), new byte[] {0x40, (byte) 201, 0, 1, 0, 0, 0, 1});
        MediaLegStats s = awaitStats(leg, x -> x.malformedDropped() == 2);
        assertEquals(0, s.rtcpIn());
    }

    @Test
    void rtcpFromForeignSourceDropped() throws Exception {
        byte[] rr = compound(new ReceiverReport(0xFEED, List.of()), SourceDescription.cname(0xFEED, "peer"));
        rtcpPeer.sendTo(leg.localRtcpPort(), rr);
        awaitStats(leg, x -> x.rtcpIn() == 1);
        clock.advanceMillis(3000);
        try (UdpPeer stranger = new UdpPeer()) {
            stranger.sendTo(leg.localRtcpPort(), rr);
            MediaLegStats s = awaitStats(leg, x -> x.foreignSourceDropped() == 1);
            assertEquals(1, s.rtcpIn());
        }
    }

    @Test
    void muxedRtcpOnRtpPortIsNotMedia() throws Exception {
        byte[] rr = compound(new ReceiverReport(0xFEED, List.of()), SourceDescription.cname(0xFEED, "peer"));
        rtpPeer.sendTo(leg.localRtpPort(), rr);
        MediaLegStats s = awaitStats(leg, x -> x.rtcpIn() == 1);
        assertEquals(0, s.packetsIn());
        assertEquals(0, s.malformedDropped());
        assertTrue(collector.packets.isEmpty());
    }

    @Test
    void muxedRemoteGetsRtcpOnRtpPort() throws Exception {
        leg.setRemote(rtpPeer.address(), rtpPeer.address());
        barrier();
        tick(clock.nanoTime() + 4000 * MS);
        List<RtcpPacket> report = parse(rtpPeer.receive());
        assertInstanceOf(ReceiverReport.class, report.get(0));
        assertNull(rtcpPeer.receiveOrNull(50));
    }

    @Test
    void byeOnClose() throws Exception {
        sendRtp(1);
        onLoop(() -> {
            leg.close();
            return null;
        });
        List<RtcpPacket> last = parse(rtcpPeer.receive());
        assertInstanceOf(SenderReport.class, last.get(0));
        assertEquals(Bye.of(leg.localSsrc()), last.get(last.size() - 1));
    }
}
