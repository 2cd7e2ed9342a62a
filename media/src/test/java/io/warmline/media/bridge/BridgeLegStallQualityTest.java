package io.warmline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.warmline.media.quality.CodecImpairment;
import io.warmline.media.quality.EModel;
import io.warmline.media.quality.LegQuality;
import io.warmline.media.quality.OwnTiming;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A leg's quality through stalls of our own loop and through the network's bursts, in fake time. A far end sends a tone
 * every 20 ms and loses nothing. When our loop stalls, its overdue ticks are skipped and the packets that waited in the
 * socket are read afterwards; the jitter buffer drops part of them, and those drops are ours: the leg reports no
 * network loss and no discards (the MOS's loss term stays zero), and the stall shows in its own late and skipped
 * counters. When instead the network holds packets and delivers them in a burst while our ticks run on time, the same
 * drops are the network's.
 */
@ExtendWith(LeakCheck.class)
class BridgeLegStallQualityTest {

    private static final int STALLS = 3;
    private static final int STEADY = 60;
    private static final int STALL_PERIODS = 30;

    @RegisterExtension
    final EmbeddedBridgeLoop fixture = new EmbeddedBridgeLoop();
    private final EventLoop loop = fixture.loop();
    private final ManualClock clock = fixture.clock();
    private MediaBridge bridge;
    private FakeEndpoint a;
    private BridgeLeg leg;
    private Talker talker;

    private void open(String codecName) {
        bridge = fixture.start(8000);
        LegCodec codec = codecName.equals("opus") ? LegCodec.opus(111, -1, Talker.opusAt(8000)) : LegCodec.pcmu(-1);
        a = new FakeEndpoint(loop, 0xA);
        leg = bridge.addLeg("a", a, codec);
        bridge.addLeg("b", new FakeEndpoint(loop, 0xB), LegCodec.pcmu(-1));
        talker = Talker.tone(codec, 1, 600, 8000);
    }

    private void steady(int periods) {
        for (int i = 0; i < periods; i++) {
            a.deliver(talker.next());
            bridge.runDueTicks();
            clock.advanceMillis(20);
        }
    }

    /** Our loop is stuck: the overdue ticks run (most skipped) before the packets queued meanwhile are read. */
    private void ourStall() {
        List<ByteBuf> queued = new ArrayList<>();
        for (int i = 0; i < STALL_PERIODS; i++) {
            queued.add(talker.next());
            clock.advanceMillis(20);
        }
        bridge.runDueTicks();
        queued.forEach(a::deliver);
        clock.advanceMillis(20);
    }

    /** The network holds the packets of the period and delivers them at once; our ticks run on time. */
    private void networkBurst() {
        List<ByteBuf> held = new ArrayList<>();
        for (int i = 0; i < STALL_PERIODS; i++) {
            held.add(talker.next());
            bridge.runDueTicks();
            clock.advanceMillis(20);
        }
        held.forEach(a::deliver);
        bridge.runDueTicks();
        clock.advanceMillis(20);
    }

    private LegQuality reference(String codecName) {
        open(codecName);
        steady(STALLS * (STEADY + STALL_PERIODS) + STEADY);
        LegQuality q = leg.stats().quality();
        bridge.close();
        bridge = null;
        return q;
    }

    @ParameterizedTest
    @ValueSource(strings = {"pcmu", "opus"})
    void ourStallsAreNotNetworkLossAndShowInOurOwnCounters(String codecName) {
        LegQuality clean = reference(codecName);
        assertEquals(0, clean.receive().lossPercent());

        open(codecName);
        for (int round = 0; round < STALLS; round++) {
            steady(STEADY);
            ourStall();
        }
        steady(STEADY);
        BridgeLegStats s = leg.stats();
        LegQuality q = s.quality();

        assertEquals(0, s.jitter().lost(), "every sequence number arrived");
        assertTrue(s.jitter().late() + s.jitter().discarded() > 0, "the buffer dropped part of each backlog: "
                + s.jitter());
        assertEquals(0, q.receive().lossPercent(), "the network lost nothing");
        assertEquals(0, q.receive().discardPercent(), "every drop followed a stall of ours");
        // The backlog can still raise the buffer's delay for a while (to the buffer it looks like jitter): that
        // delay is real and stays in the estimate; the loss term does not move.
        CodecImpairment codec = codecName.equals("opus") ? CodecImpairment.OPUS : CodecImpairment.G711_PLC;
        assertEquals(EModel.rFactor(q.receive().oneWayDelayMillis(), codec, 0), q.receive().rFactor(), 1e-9);
        assertEquals(clean.receive().rFactor() - EModel.delayImpairment(q.receive().oneWayDelayMillis())
                + EModel.delayImpairment(clean.receive().oneWayDelayMillis()), q.receive().rFactor(), 1e-9);

        OwnTiming own = q.own();
        assertEquals(STALLS * (STALL_PERIODS - 2), own.skippedPeriods(), "three overdue ticks run, the rest skipped");
        assertEquals(s.jitter().late() + s.jitter().discarded(), own.stallDrops());
        assertEquals(s.lateOutputFrames(), own.lateOutputFrames());
        assertEquals(s.framesDue(), own.framesDue());
        assertTrue(own.lateOutputPercent() > 15, "late output " + own.lateOutputPercent() + " %");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pcmu", "opus"})
    void theSameBurstFromTheNetworkIsCountedAsTheNetworks(String codecName) {
        open(codecName);
        for (int round = 0; round < STALLS; round++) {
            steady(STEADY);
            networkBurst();
        }
        steady(STEADY);
        BridgeLegStats s = leg.stats();
        LegQuality q = s.quality();

        long drops = s.jitter().late() + s.jitter().discarded();
        assertTrue(drops > 0, s.jitter().toString());
        assertEquals(0, q.receive().lossPercent(), "nothing lost: the packets came late");
        long expected = s.jitter().received() + s.jitter().lost();
        assertEquals(100.0 * drops / expected, q.receive().discardPercent(), 1e-9);
        assertTrue(q.mos() < 4.0, "MOS " + q.mos());
        assertEquals(0, q.own().stallDrops());
        assertEquals(0, q.own().skippedPeriods());
        assertEquals(0, q.own().lateOutputFrames());
    }
}
