package io.warmline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.play.ToneGenerator;
import io.warmline.media.play.ToneSpec;
import io.warmline.media.quality.CodecImpairment;
import io.warmline.media.quality.EModel;
import io.warmline.media.quality.LegQuality;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.LeakCheck;
import io.warmline.media.transport.RtcpStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The far end's RTCP reports on a terminated leg: they drive the Opus encoder's in-band FEC (on the wire: the LBRR
 * flag of each SILK frame), and together with the jitter buffer they make the leg's two-way quality estimate.
 */
@ExtendWith(LeakCheck.class)
class BridgeLegQualityTest {

    private static final long S = 1_000_000_000L;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EventLoop loop = channel.eventLoop();
    private final ManualClock clock = new ManualClock(5 * S);
    private MediaBridge bridge;

    @AfterEach
    void tearDown() {
        if (bridge != null) {
            bridge.close();
        }
        channel.finishAndReleaseAll();
    }

    private void ticks(int n) {
        for (int i = 0; i < n; i++) {
            bridge.runDueTicks();
            clock.advanceMillis(20);
        }
    }

    /**
     * Whether a 20 ms mono SILK-only packet carries LBRR: after the TOC byte the range coder's first two symbols are
     * the VAD and LBRR flags, each with probability 1/2 (RFC 6716 §4.2.3), which makes them the first two bits.
     */
    private static boolean lbrr(FakeEndpoint.Sent packet) {
        byte[] p = packet.payload();
        return (p[0] & 0xFF) >> 3 < 12 && p.length > 1 && (p[1] & 0x40) != 0;
    }

    private static long withLbrr(List<FakeEndpoint.Sent> packets) {
        return packets.stream().filter(BridgeLegQualityTest::lbrr).count();
    }

    private final Map<String, BridgeLeg> legs = new HashMap<>();

    private FakeEndpoint opusLegHearingATone(String id, long ssrc, OpusConfig config) {
        FakeEndpoint ep = new FakeEndpoint(loop, ssrc);
        legs.put(id, bridge.addLeg(id, ep, LegCodec.opus(111, -1, config)));
        return ep;
    }

    @Test
    void reportedLossTurnsInBandFecOnAndALongCleanSpellTurnsItOff() {
        bridge = MediaBridge.start(loop, clock, 8000);
        FakeEndpoint ep = opusLegHearingATone("browser", 0xB0, OpusConfig.telephoneBand());
        bridge.addSource("tone", new ToneGenerator(new ToneSpec(440, 480, -12, 300, 100), 8000));
        bridge.setMatrix(HearingMatrix.builder().hears("browser", "tone").build());
        BridgeLeg leg = legs.get("browser");

        ticks(100);
        assertFalse(leg.stats().fecEnabled(), "FEC starts off although the far end decodes it");
        assertEquals(0, withLbrr(ep.sent), "no LBRR while no loss is reported");

        ep.report(0, clock.nanoTime());
        ticks(50);
        assertFalse(leg.stats().fecEnabled(), "a report of no loss changes nothing");

        ep.report(26, clock.nanoTime()); // 10.2 % of our packets lost
        BridgeLegStats on = leg.stats();
        assertTrue(on.fecEnabled());
        assertEquals(11, on.fecLossPercent());
        int from = ep.sent.size();
        ticks(100);
        long protectedFrames = withLbrr(ep.sent.subList(from, ep.sent.size()));
        // SILK codes LBRR for frames its VAD finds active: not in the tone's 100 ms pauses
        assertTrue(protectedFrames > 60, "frames with LBRR after the loss report: " + protectedFrames + " of 100");

        long t = clock.nanoTime();
        for (int i = 1; i <= 7; i++) {
            ep.report(0, t + i * 5 * S);
        }
        assertFalse(leg.stats().fecEnabled(), "off after 30 s of clean reports");
        from = ep.sent.size();
        ticks(50);
        // a packet carries the LBRR of the frame before it: the first one after the switch still has one
        assertEquals(0, withLbrr(ep.sent.subList(from + 1, ep.sent.size())));
    }

    @Test
    void aFarEndThatDoesNotDecodeFecNeverGetsItAndG711IgnoresReports() {
        bridge = MediaBridge.start(loop, clock, 8000);
        OpusConfig noFec = new OpusConfig(8000, 20, 20000, 2, false, 0, false);
        FakeEndpoint opus = opusLegHearingATone("opus", 1, noFec);
        FakeEndpoint pcmu = new FakeEndpoint(loop, 2);
        legs.put("pcmu", bridge.addLeg("pcmu", pcmu, LegCodec.pcmu(-1)));
        bridge.addSource("tone", new ToneGenerator(new ToneSpec(440, 480, -12, 300, 100), 8000));
        bridge.setMatrix(HearingMatrix.builder().hears("opus", "tone").hears("pcmu", "tone").build());
        ticks(10);
        opus.report(128, clock.nanoTime());
        pcmu.report(128, clock.nanoTime());
        ticks(50);
        assertFalse(legs.get("opus").stats().fecEnabled());
        assertFalse(legs.get("pcmu").stats().fecEnabled());
        assertEquals(0, withLbrr(opus.sent));
    }

    @Test
    void legsWhoseFecDiffersStopSharingAnEncode() {
        bridge = MediaBridge.start(loop, clock, 8000);
        FakeEndpoint a = opusLegHearingATone("a", 1, OpusConfig.telephoneBand());
        FakeEndpoint b = opusLegHearingATone("b", 2, OpusConfig.telephoneBand());
        bridge.addSource("tone", new ToneGenerator(new ToneSpec(440, 480, -12, 300, 100), 8000));
        bridge.setMatrix(HearingMatrix.builder().hears("a", "tone").hears("b", "tone").build());
        ticks(20);
        assertEquals(20, bridge.stats().sharedEncodes());
        b.report(26, clock.nanoTime());
        ticks(20);
        assertEquals(20, bridge.stats().sharedEncodes(), "b encodes with FEC for itself");
        assertEquals(0, withLbrr(a.sent));
        assertTrue(withLbrr(b.sent.subList(20, 40)) > 10);
    }

    @Test
    void qualityCombinesOurReceptionWithTheFarEndsReports() {
        bridge = MediaBridge.start(loop, clock, 8000);
        FakeEndpoint ep = new FakeEndpoint(loop, 7);
        legs.put("sip", bridge.addLeg("sip", ep, LegCodec.pcmu(-1)));
        bridge.addSource("tone", new ToneGenerator(new ToneSpec(440, 480, -12, 300, 100), 8000));
        bridge.setMatrix(HearingMatrix.builder().hears("sip", "tone").build());
        ticks(200);

        BridgeLegStats none = legs.get("sip").stats();
        assertNull(none.rtcp());
        assertNull(none.quality().send(), "no reports: the sending direction is unknown");
        assertEquals(-1, none.quality().rttMillis());
        assertEquals(none.quality().receive().rFactor(), none.quality().rFactor());

        // the far end reports 20 of our 200 packets lost; 150 ms round trip
        ep.rtcp = new RtcpStats(3, 3, 0, 0, 0, 0, 0, 2, 0.1, 20, 4, 150);
        BridgeLegStats s = legs.get("sip").stats();
        LegQuality q = s.quality();
        assertEquals(150, q.rttMillis());
        assertEquals(10.0, q.send().lossPercent(), 1e-9);
        double delay = 75 + s.jitter().currentDelayMillis() + 20;
        assertEquals(delay, q.send().oneWayDelayMillis(), 1e-9);
        assertEquals(EModel.rFactor(delay, CodecImpairment.G711_PLC, 10), q.send().rFactor(), 1e-9);
        assertTrue(q.send().rFactor() < q.receive().rFactor());
        assertEquals(q.send().rFactor(), q.rFactor(), "the worse direction rates the leg");
        assertEquals(EModel.mos(q.rFactor()), q.mos(), 1e-12);
        assertTrue(q.mos() < 4.0 && q.mos() > 3.0, "10 % loss with PLC: MOS " + q.mos());
    }
}
