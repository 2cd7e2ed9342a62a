package io.warmline.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.warmline.media.rtcp.Bye;
import io.warmline.media.rtcp.NtpTime;
import io.warmline.media.rtcp.ReceiverReport;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtcp.RtcpPacket;
import io.warmline.media.rtcp.RtcpParser;
import io.warmline.media.rtcp.RtcpWriter;
import io.warmline.media.rtcp.SenderReport;
import io.warmline.media.rtcp.SourceDescription;
import io.warmline.media.transport.RtcpStats;
import io.warmline.media.transport.RtpEndpoint;
import io.warmline.webrtc.sdp.DtlsFingerprint;
import io.warmline.webrtc.sdp.IceCandidate;
import io.warmline.webrtc.srtp.SrtpResult;
import io.warmline.webrtc.srtp.SrtpSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SRTCP both ways on a connected WebRTC leg, against a browser's side built from the project's DTLS and SRTP: the
 * leg's first report arrives protected and carries a block on the browser's stream; the browser's receiver report
 * about the leg's stream is unprotected and read (loss, jitter, round-trip time from LSR/DLSR); a forged SRTCP packet
 * is dropped and counted; closing the leg sends a BYE.
 */
class WebRtcLegRtcpTest {

    private static final long BROWSER_SSRC = 1111;

    private static NioEventLoopGroup group;
    private static WebRtcEndpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        group = new NioEventLoopGroup(2);
        endpoint = WebRtcEndpoint.start(group, WebRtcEndpointOptions.on(List.of(InetAddress.getLoopbackAddress())));
    }

    @AfterAll
    static void stop() {
        endpoint.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Counts the RTP the leg delivers and collects the reports it hands to its listener. */
    static final class Reports implements WebRtcLeg.Events, RtpEndpoint.Listener {
        final CompletableFuture<Void> connected = new CompletableFuture<>();
        final AtomicInteger packets = new AtomicInteger();
        final List<ReportBlock> blocks = new CopyOnWriteArrayList<>();

        @Override
        public void onConnected(WebRtcLeg leg) {
            connected.complete(null);
        }

        @Override
        public void onRtp(RtpEndpoint endpoint, ByteBuf packet) {
            packet.release();
            packets.incrementAndGet();
        }

        @Override
        public void onReceiverReport(RtpEndpoint endpoint, ReportBlock aboutUs, long nowNanos) {
            blocks.add(aboutUs);
        }
    }

    /** The next SRTCP compound the browser receives (RTP is skipped), unprotected and parsed. */
    private static List<RtcpPacket> nextRtcp(LoopbackBrowser browser, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (System.nanoTime() < deadline) {
            byte[] d = browser.srtpReceived.poll(100, TimeUnit.MILLISECONDS);
            if (d == null || (d[1] & 0xFF) < 200 || (d[1] & 0xFF) > 204) {
                continue;
            }
            ByteBuf b = Unpooled.wrappedBuffer(d);
            try {
                assertEquals(SrtpResult.OK, browser.srtp.unprotectRtcp(b), "Warmline's SRTCP authenticates");
                return RtcpParser.parse(b);
            } finally {
                b.release();
            }
        }
        throw new AssertionError("no RTCP from the leg within " + timeoutMillis + " ms");
    }

    private static RtcpStats statsOf(WebRtcLeg leg) throws Exception {
        return leg.eventLoop().submit(leg::rtcpStats).get(5, TimeUnit.SECONDS);
    }

    private static byte[] protectedRtcp(LoopbackBrowser browser, List<RtcpPacket> compound) {
        ByteBuf b = Unpooled.buffer(256);
        try {
            RtcpWriter.writeCompound(compound, b);
            assertEquals(SrtpResult.OK, browser.srtp.protectRtcp(b));
            byte[] out = new byte[b.readableBytes()];
            b.getBytes(b.readerIndex(), out);
            return out;
        } finally {
            b.release();
        }
    }

    @Test
    void reportsTravelAsSrtcpBothWaysAndFeedTheLegsStatistics() throws Exception {
        EventLoop loop = group.next();
        Reports reports = new Reports();
        try (LoopbackBrowser browser = new LoopbackBrowser()) {
            WebRtcLeg leg = endpoint.accept(browser.offer(), loop, reports);
            loop.submit(() -> leg.setListener(reports)).sync();
            IceCandidate c = endpoint.candidates().get(0);
            browser.target(new InetSocketAddress(c.address(), c.port()));
            browser.check(leg.localUfrag() + ":" + browser.ice.ufrag(), leg.answer().localIce().pwd(), true);
            assertNotNull(browser.awaitStun());
            browser.srtp = SrtpSession.create(browser.connectDtls(leg.answer().description().media().get(0)
                    .attribute("fingerprint").flatMap(DtlsFingerprint::parse).orElseThrow()));
            reports.connected.get(5, TimeUnit.SECONDS);
            long connectedAt = System.nanoTime();
            assertEquals(0, statsOf(leg).reportsSent());

            // the browser's stream: 5 packets, the 4th lost on the way
            for (int seq = 1; seq <= 5; seq++) {
                if (seq != 4) {
                    browser.send(browser.protectedRtp(seq, seq * 960L, 0x80 | 30));
                }
            }
            WebRtcEndpointTest.waitFor(() -> reports.packets.get() == 4);
            // and ours: one packet, so that the leg's report is an SR
            ByteBuf out = Unpooled.buffer(64);
            out.writeByte(0x80).writeByte(111).writeShort(7).writeInt(960).writeInt((int) leg.localSsrc());
            out.writeBytes(new byte[] {1, 2, 3, 4});
            loop.execute(() -> leg.send(out));

            // RFC 3550 §6.2: the first report within 1.25..3.75 s / (e - 3/2) of connecting
            List<RtcpPacket> first = nextRtcp(browser, 5_000);
            long srArrival = System.nanoTime();
            SenderReport sr = assertInstanceOf(SenderReport.class, first.get(0));
            assertEquals(leg.localSsrc(), sr.ssrc());
            assertEquals(1, sr.packetCount());
            assertEquals(4, sr.octetCount());
            ReportBlock aboutBrowser = sr.reports().get(0);
            assertEquals(BROWSER_SSRC, aboutBrowser.ssrc());
            assertEquals(1, aboutBrowser.cumulativeLost(), "sequence 4 never arrived");
            assertEquals(5, aboutBrowser.extendedHighestSeq());
            assertInstanceOf(SourceDescription.class, first.get(1));

            // the browser's receiver report on the leg's stream, LSR/DLSR per §6.4.1
            long held = System.nanoTime() - srArrival;
            ReportBlock aboutLeg = new ReportBlock(leg.localSsrc(), 13, 3, 7, 480,
                    NtpTime.middle32(sr.ntpTimestamp()), NtpTime.nanosToCompact(held));
            byte[] rr = protectedRtcp(browser, List.of(new ReceiverReport(BROWSER_SSRC, List.of(aboutLeg)),
                    SourceDescription.cname(BROWSER_SSRC, "loopback")));
            long sent = System.nanoTime();
            browser.send(rr);
            WebRtcEndpointTest.waitFor(() -> reports.blocks.size() == 1);
            // the SR left after connectedAt and the RR arrived before now; the browser held it for DLSR
            long upperBound = System.nanoTime() - connectedAt - held;

            RtcpStats s = statsOf(leg);
            assertEquals(1, s.remoteReports());
            assertEquals(13 / 256.0, s.remoteFractionLost(), 1e-9);
            assertEquals(3, s.remoteCumulativeLost());
            assertEquals(10.0, s.remoteJitterMillis(), 1e-9, "480 units of the 48 kHz Opus clock");
            assertTrue(s.rttMillis() >= 0 && s.rttMillis() * 1e6 <= upperBound + 2_000_000,
                    "RTT " + s.rttMillis() + " ms within what the test saw, " + upperBound / 1e6 + " ms");
            assertEquals(1, s.cumulativeLost());
            assertTrue(s.reportsSent() >= 1 && s.reportsReceived() == 1, s.toString());
            assertTrue(sent > srArrival);

            // a replayed SRTCP packet is dropped before it is read
            browser.send(rr);
            WebRtcEndpointTest.waitFor(() -> {
                try {
                    return statsOf(leg).malformed() == 1;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertEquals(1, reports.blocks.size());

            loop.submit(leg::close).sync();
            List<RtcpPacket> last = nextRtcp(browser, 5_000);
            while (!(last.get(last.size() - 1) instanceof Bye)) {
                last = nextRtcp(browser, 5_000);
            }
            assertEquals(leg.localSsrc(), ((Bye) last.get(last.size() - 1)).ssrcs().get(0));
        }
    }
}
