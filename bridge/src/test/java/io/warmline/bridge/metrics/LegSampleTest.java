package io.warmline.bridge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.bridge.BridgeLegStats;
import io.warmline.media.jitter.JitterBufferStats;
import io.warmline.media.quality.CallQuality;
import io.warmline.media.quality.CodecImpairment;
import io.warmline.media.quality.LegQuality;
import io.warmline.media.quality.OwnTiming;
import io.warmline.media.transport.MediaLegStats;
import org.junit.jupiter.api.Test;

class LegSampleTest {

    private static JitterBufferStats jitter(long received, long lost, long late, long discarded, double delay,
            double jitterMs) {
        return new JitterBufferStats(received, lost, late, 0, discarded, 0, received - late, lost, 0, 0, 0, 0, delay,
                delay, jitterMs);
    }

    private static BridgeLegStats bridged(JitterBufferStats jb, CodecImpairment codec, long packetsIn,
            long concealed, long malformed) {
        LegQuality q = LegQuality.of(codec, codec, jb, 0, null, packetsIn, OwnTiming.NONE);
        return new BridgeLegStats(packetsIn, 0, 0, 0, malformed, jb, packetsIn, concealed, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                null, q, false, 0, 0);
    }

    @Test
    void aTerminatedSipLegIsTheBridgeLegsQualityWithItsSocketsCounters() {
        MediaLegStats leg = new MediaLegStats(990, 0, 0, 0, 1, 0, 0, 0, 0, 0.0, 10, 4.0, -1, -1, -1);
        BridgeLegStats b = bridged(jitter(990, 10, 5, 5, 40, 4.0), CodecImpairment.G711_PLC, 990, 30, 2);
        LegSample s = LegSample.sip(leg, b, false);
        assertEquals(b.quality().mos(), s.mos(), 1e-12);
        assertEquals(b.quality().receive().lossPercent() / 100, s.lossFraction(), 1e-12);
        assertEquals(10.0 / 1000, s.lossFraction(), 1e-12, "the network's loss: the late and discarded are apart");
        assertTrue(Double.isNaN(s.rttMillis()), "no RTCP round trip is known");
        assertEquals(4.0, s.jitterMillis());
        assertEquals(5, s.jitterLate());
        assertEquals(30, s.concealedFrames());
        assertEquals(3, s.malformed());
    }

    @Test
    void dropsAfterOurOwnStallsAreNeitherLossNorInTheMos() {
        MediaLegStats leg = new MediaLegStats(1000, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0, 1.0, -1, -1, -1);
        JitterBufferStats jb = jitter(1000, 0, 40, 60, 40, 1.0);
        LegQuality stalled = LegQuality.of(CodecImpairment.G711_PLC, CodecImpairment.G711_PLC, jb, 100, null, 1000,
                new OwnTiming(1000, 120, 100, 100));
        BridgeLegStats b = new BridgeLegStats(1000, 0, 0, 0, 0, jb, 900, 0, 0, 1000, 880, 0, 0, 0, 120, 0, 0, null,
                stalled, false, 0, 0);
        LegSample s = LegSample.sip(leg, b, false);
        assertEquals(0, s.lossFraction());
        assertEquals(CallQuality.estimate(CodecImpairment.G711_PLC, 0, 40, 20, 1000, 0).mos(), s.mos(), 1e-12);
        assertEquals(40, s.jitterLate(), "the buffer's own counters still show every drop");
    }

    @Test
    void aRelayedSipLegIsJudgedByItsReceptionAndRoundTrip() {
        MediaLegStats leg = new MediaLegStats(980, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 20, 1.0, 300.0, -1, -1);
        LegSample s = LegSample.sip(leg, null, true);
        assertEquals(300.0, s.rttMillis());
        assertEquals(20.0 / 1000, s.lossFraction(), 1e-12);
        assertEquals(CallQuality.estimate(CodecImpairment.OPUS, 150, 0, 20, 1000, 20).mos(), s.mos(), 1e-12);
        assertEquals(0, s.jitterLate() + s.jitterLost() + s.concealedFrames());
    }

    @Test
    void aBrowserLegIsItsBridgeLeg() {
        BridgeLegStats b = bridged(jitter(480, 20, 0, 0, 60, 7.5), CodecImpairment.OPUS, 480, 20, 0);
        LegSample s = LegSample.webRtc(b);
        assertEquals(LegKind.WEBRTC, s.kind());
        assertEquals(20.0 / 500, s.lossFraction(), 1e-12);
        assertEquals(7.5, s.jitterMillis());
        assertEquals(20, s.jitterLost());
        assertEquals(b.quality().mos(), s.mos(), 1e-12);
        assertTrue(s.mos() < CallQuality.estimate(CodecImpairment.OPUS, 0, 60, 20, 500, 0).mos());
    }
}
