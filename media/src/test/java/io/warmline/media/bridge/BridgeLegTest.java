package io.warmline.media.bridge;

import static io.warmline.media.mix.Signals.goertzelAmplitude;
import static io.warmline.media.mix.Signals.rms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.ResourceLeakDetector;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.testing.Allocations;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.LeakCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A terminated leg whose two directions differ (RFC 3264 §6.1): it sends one codec and decodes every agreed one. */
@ExtendWith(LeakCheck.class)
class BridgeLegTest {

    private static final double AMPLITUDE = 8000;
    private static final LegCodec PCMU = LegCodec.pcmu(101);
    private static final LegCodec PCMA = LegCodec.pcma(101);
    private static final LegCodec OPUS = LegCodec.opus(111, 110, Talker.opusAt(8000));

    @RegisterExtension
    final EmbeddedBridgeLoop fixture = new EmbeddedBridgeLoop();
    private final EventLoop loop = fixture.loop();
    private final ManualClock clock = fixture.clock();
    private MediaBridge bridge;
    /** The asymmetric leg: the far end talks into it, and it sends what b says. */
    private FakeEndpoint a;
    private BridgeLeg legA;
    /** A PCMU listener of a. */
    private FakeEndpoint b;

    private void start(LegCodecs codecsOfA) {
        bridge = fixture.start(8000);
        a = new FakeEndpoint(loop, 1);
        b = new FakeEndpoint(loop, 2);
        legA = bridge.addLeg("a", a, codecsOfA);
        bridge.addLeg("b", b, PCMU);
        bridge.setMatrix(HearingMatrix.builder().conference("a", "b").build());
    }

    /** One 20 ms period: a's far end sends {@code fromA} (may be null), b's sends a tone, the bridge ticks. */
    private void step(ByteBuf fromA, Talker talkerB) {
        if (fromA != null) {
            a.deliver(fromA);
        }
        b.deliver(talkerB.next());
        bridge.runDueTicks();
        clock.advanceMillis(20);
    }

    /** What b sent to its far end in {@code frames} frames from {@code from}, decoded. */
    private short[] heardByB(int from, int frames) {
        List<FakeEndpoint.Sent> out = b.sentOfType(0);
        return Listening.decode(out.subList(from, from + frames), PCMU);
    }

    @Test
    void pcmaAndPcmuInterleavedAreEachDecodedByTheirOwnLaw() {
        start(new LegCodecs(PCMU, List.of(PCMU, PCMA)));
        Talker far = Talker.tone(PCMA, 7, 697, AMPLITUDE);
        Talker talkerB = Talker.tone(PCMU, 8, 1209, AMPLITUDE);
        for (int i = 0; i < 80; i++) {
            // runs of 1, 2 and 3 packets of each law, on one timeline (one SSRC, continuous sequence and timestamp)
            far.switchTo(i % 6 < 3 ? PCMA : PCMU);
            step(far.next(), talkerB);
        }
        BridgeLegStats stats = legA.stats();
        assertEquals(0, stats.unknownPayloadType());
        assertEquals(0, stats.receiveSwitches(), "the laws share one jitter buffer");
        // two 10 ms frames per packet; the last ones are still in the jitter buffer
        assertTrue(stats.decodedFrames() >= 154 && stats.decodedFrames() <= 160, "decoded " + stats.decodedFrames());
        assertEquals(0, stats.concealedFrames());
        assertEquals(0, stats.jitter().lost());

        short[] heard = heardByB(20, 60);
        for (int f = 0; f < 60; f++) {
            double tone = goertzelAmplitude(heard, f * 160, 160, 697, 8000);
            double level = rms(heard, f * 160, 160);
            assertTrue(tone > 0.9 * AMPLITUDE, "frame " + f + ": 697 Hz at " + tone);
            // a frame decoded by the wrong law is loud broadband noise, not a tone of A/sqrt(2)
            assertTrue(Math.abs(level - AMPLITUDE / Math.sqrt(2)) < 0.05 * AMPLITUDE, "frame " + f + ": rms " + level);
        }
    }

    @Test
    void theLegSendsItsOneCodecWhateverItReceives() {
        start(new LegCodecs(PCMU, List.of(PCMU, PCMA)));
        Talker far = Talker.tone(PCMA, 7, 697, AMPLITUDE);
        Talker talkerB = Talker.tone(PCMU, 8, 1209, AMPLITUDE);
        for (int i = 0; i < 40; i++) {
            step(far.next(), talkerB);
        }
        assertEquals(40, a.sent.size());
        assertEquals(40, a.sentOfType(0).size(), "PCMU out although only PCMA came in");
        assertTrue(goertzelAmplitude(Listening.decode(a.sent.subList(20, 40), PCMU), 1209, 8000)
                > 0.9 * AMPLITUDE, "a's far end hears b through PCMU");
        for (int i = 1; i < a.sent.size(); i++) {
            assertEquals(a.sent.get(i - 1).sequence() + 1 & 0xFFFF, a.sent.get(i).sequence());
        }
        assertEquals(PCMU, legA.codec());
        assertEquals(8000, legA.clockRate());
    }

    @Test
    void aSwitchFromG711ToOpusRebuildsOnlyTheReceiveSide() {
        start(new LegCodecs(PCMU, List.of(PCMA, OPUS)));
        Talker talkerB = Talker.tone(PCMU, 8, 1209, AMPLITUDE);
        Talker g711 = Talker.tone(PCMA, 7, 697, AMPLITUDE);
        for (int i = 0; i < 30; i++) {
            step(g711.next(), talkerB);
        }
        Talker opus = Talker.tone(OPUS, 7, 697, AMPLITUDE);
        for (int i = 0; i < 40; i++) {
            step(opus.next(), talkerB);
        }
        BridgeLegStats stats = legA.stats();
        assertEquals(1, stats.receiveSwitches());
        assertEquals(0, stats.unknownPayloadType());
        assertTrue(goertzelAmplitude(heardByB(10, 15), 697, 8000) > 0.9 * AMPLITUDE, "PCMA heard");
        assertTrue(goertzelAmplitude(heardByB(50, 15), 697, 8000) > 0.7 * AMPLITUDE, "Opus heard after the switch");
        assertEquals(70, a.sentOfType(0).size(), "the send side did not change");
        assertTrue(a.sent.stream().skip(1).noneMatch(FakeEndpoint.Sent::marker), "no new talkspurt outbound");
    }

    @Test
    void unknownPayloadTypesAreCountedAndDropped() {
        start(new LegCodecs(PCMU, List.of(PCMU, PCMA)));
        Talker talkerB = Talker.tone(PCMU, 8, 1209, AMPLITUDE);
        Talker far = Talker.tone(PCMU, 7, 697, AMPLITUDE);
        for (int i = 0; i < 20; i++) {
            // G.722 (RFC 3551 static type 9) was not agreed; 96 is nobody's
            step(far.other(i % 2 == 0 ? 9 : 96, new byte[160]), talkerB);
        }
        BridgeLegStats stats = legA.stats();
        assertEquals(20, stats.packetsIn());
        assertEquals(20, stats.unknownPayloadType());
        assertEquals(0, stats.decodedFrames());
        assertTrue(rms(heardByB(5, 15)) < 1, "nothing of it reaches b");
        for (int i = 0; i < 20; i++) {
            step(far.next(), talkerB);
        }
        assertTrue(goertzelAmplitude(heardByB(30, 10), 697, 8000) > 0.9 * AMPLITUDE, "agreed packets still play");
    }

    @Test
    void telephoneEventsOfEachAgreedRateAreSplitOff() {
        start(new LegCodecs(PCMU, List.of(PCMU, OPUS)));
        int[] events = new int[1];
        legA.setTelephoneEventHandler((packet, now) -> {
            events[0]++;
            packet.release();
        });
        Talker talkerB = Talker.tone(PCMU, 8, 1209, AMPLITUDE);
        Talker far = Talker.tone(PCMU, 7, 697, AMPLITUDE);
        step(far.other(101, new byte[] {1, 0, 0, (byte) 160}), talkerB);
        step(far.other(110, new byte[] {1, 0, 3, (byte) 192}), talkerB);
        assertEquals(2, events[0]);
        assertEquals(2, legA.stats().telephoneEvents());
        assertEquals(0, legA.stats().receiveSwitches());
    }

    @Test
    void aNewAgreementStopsReceivingFormatsItNoLongerLists() {
        start(new LegCodecs(PCMU, List.of(PCMU, PCMA)));
        Talker talkerB = Talker.tone(PCMU, 8, 1209, AMPLITUDE);
        Talker far = Talker.tone(PCMA, 7, 697, AMPLITUDE);
        for (int i = 0; i < 10; i++) {
            step(far.next(), talkerB);
        }
        legA.setCodecs(new LegCodecs(PCMA, List.of(PCMU)));
        for (int i = 0; i < 10; i++) {
            step(far.next(), talkerB);
        }
        BridgeLegStats stats = legA.stats();
        assertEquals(10, stats.unknownPayloadType(), "PCMA is no longer agreed");
        assertEquals(1, stats.codecChanges());
        FakeEndpoint.Sent firstPcma = a.sent.get(10);
        assertEquals(8, firstPcma.payloadType());
        assertTrue(firstPcma.marker(), "the new format starts a talkspurt");
        assertEquals(10, a.sentOfType(8).size());
    }

    @Test
    void interleavedLawsAllocateNothingInSteadyState() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        // the paranoid detector records every buffer it tracks; measure the bridge, not the detector
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            start(new LegCodecs(PCMU, List.of(PCMU, PCMA)));
            a.keep = false;
            b.keep = false;
            Talker far = Talker.tone(PCMA, 1, 500, AMPLITUDE);
            Talker near = Talker.tone(PCMU, 2, 700, AMPLITUDE);
            ByteBuf[] pa = new ByteBuf[200];
            ByteBuf[] pb = new ByteBuf[200];
            for (int i = 0; i < 200; i++) {
                far.switchTo(i % 2 == 0 ? PCMA : PCMU);
                pa[i] = far.next();
                pb[i] = near.next();
            }
            int[] next = {0};
            Runnable tenPeriods = () -> {
                for (int i = 0; i < 10; i++) {
                    a.deliver(pa[next[0]]);
                    b.deliver(pb[next[0]]);
                    next[0]++;
                    bridge.runDueTicks();
                    clock.advanceMillis(20);
                }
            };
            long bytes = Allocations.steadyStateBytes(tenPeriods);
            for (int i = next[0]; i < 200; i++) {
                pa[i].release();
                pb[i].release();
            }
            assertTrue(bytes < 1024, "allocated " + bytes + " bytes in 10 ticks");
            assertEquals(2 * next[0], a.sentCount + b.sentCount);
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
    }
}
