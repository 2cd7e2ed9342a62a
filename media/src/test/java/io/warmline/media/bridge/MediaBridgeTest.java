package io.warmline.media.bridge;

import static io.warmline.media.mix.Signals.goertzelAmplitude;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import io.warmline.media.internal.LateTickEvent;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.play.FrameSource;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.testing.Allocations;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(LeakCheck.class)
class MediaBridgeTest {

    private static final double AMPLITUDE = 8000;

    @RegisterExtension
    final EmbeddedBridgeLoop fixture = new EmbeddedBridgeLoop();
    private final EventLoop loop = fixture.loop();
    private final ManualClock clock = fixture.clock();
    private MediaBridge bridge;

    private FakeEndpoint endpoint(long ssrc) {
        return new FakeEndpoint(loop, ssrc);
    }

    /** One 20 ms period: each far end sends a packet, the bridge ticks, time moves on. */
    private void step(FakeEndpoint[] endpoints, Talker[] talkers) {
        for (int i = 0; i < endpoints.length; i++) {
            if (talkers[i] != null) {
                endpoints[i].deliver(talkers[i].next());
            }
        }
        bridge.runDueTicks();
        clock.advanceMillis(20);
    }

    private void run(int periods, FakeEndpoint[] endpoints, Talker[] talkers) {
        for (int i = 0; i < periods; i++) {
            step(endpoints, talkers);
        }
    }

    /** The amplitude of {@code hz} in the last {@code frames} frames {@code endpoint} sent, decoded. */
    private static double heard(FakeEndpoint endpoint, LegCodec codec, double hz, int frames) {
        List<FakeEndpoint.Sent> audio = endpoint.sentOfType(codec.payloadType());
        short[] pcm = Listening.decode(audio.subList(audio.size() - frames, audio.size()), codec);
        return goertzelAmplitude(pcm, hz, 8000);
    }

    @Test
    void eachListenerHearsTheOtherThroughRealCodecsAndNeverItself() {
        bridge = fixture.start(8000);
        LegCodec pcma = LegCodec.pcma(101);
        LegCodec opus = LegCodec.opus(111, 101, Talker.opusAt(16000));
        FakeEndpoint a = endpoint(0xA);
        FakeEndpoint b = endpoint(0xB);
        bridge.addLeg("a", a, pcma);
        bridge.addLeg("b", b, opus);
        bridge.setMatrix(HearingMatrix.builder().conference("a", "b").build());
        FakeEndpoint[] eps = {a, b};
        Talker[] talkers = {Talker.tone(pcma, 1, 1000, AMPLITUDE), Talker.tone(opus, 2, 600, AMPLITUDE)};
        run(60, eps, talkers);

        assertTrue(heard(a, pcma, 600, 25) > 0.7 * AMPLITUDE, "a hears b's 600 Hz through Opus");
        assertTrue(heard(a, pcma, 1000, 25) < 0.03 * AMPLITUDE, "a does not hear itself");
        assertTrue(heard(b, opus, 1000, 25) > 0.7 * AMPLITUDE, "b hears a's 1000 Hz through G.711");
        assertTrue(heard(b, opus, 600, 25) < 0.03 * AMPLITUDE, "b does not hear itself");
        BridgeStats stats = bridge.stats();
        assertEquals(60, stats.ticks());
        assertEquals(120, stats.framesDue());
        assertEquals(0, stats.lateOutputFrames());
        assertEquals(2, stats.legs());
    }

    @Test
    void wideMixRateCarriesG711BothWays() {
        bridge = fixture.start(48000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        LegCodec pcma = LegCodec.pcma(-1);
        FakeEndpoint a = endpoint(1);
        FakeEndpoint b = endpoint(2);
        bridge.addLeg("a", a, pcmu);
        bridge.addLeg("b", b, pcma);
        bridge.setMatrix(HearingMatrix.builder().conference("a", "b").build());
        run(40, new FakeEndpoint[] {a, b},
                new Talker[] {Talker.tone(pcmu, 1, 700, AMPLITUDE), Talker.tone(pcma, 2, 1300, AMPLITUDE)});
        assertTrue(heard(a, pcmu, 1300, 20) > 0.9 * AMPLITUDE);
        assertTrue(heard(a, pcmu, 700, 20) < 0.01 * AMPLITUDE);
        assertTrue(heard(b, pcma, 700, 20) > 0.9 * AMPLITUDE);
    }

    @Test
    void aMatrixChangeTakesEffectOnTheNextTick() {
        bridge = fixture.start(8000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint a = endpoint(1);
        FakeEndpoint b = endpoint(2);
        FakeEndpoint c = endpoint(3);
        bridge.addLeg("a", a, pcmu);
        bridge.addLeg("b", b, pcmu);
        bridge.addLeg("c", c, pcmu);
        bridge.setMatrix(HearingMatrix.builder().hears("a", "b").build());
        FakeEndpoint[] eps = {a, b, c};
        Talker[] talkers = {Talker.tone(pcmu, 1, 500, AMPLITUDE), Talker.tone(pcmu, 2, 900, AMPLITUDE),
                Talker.tone(pcmu, 3, 1500, AMPLITUDE)};
        run(20, eps, talkers);
        assertTrue(heard(a, pcmu, 900, 10) > 0.9 * AMPLITUDE);
        assertTrue(heard(a, pcmu, 1500, 10) < 0.01 * AMPLITUDE);
        assertTrue(heard(b, pcmu, 500, 10) < 0.01 * AMPLITUDE, "b hears nobody");

        bridge.setMatrix(HearingMatrix.builder().hears("a", "c").hears("b", "a").build());
        int before = a.sent.size();
        run(1, eps, talkers);
        // the tick after the change crossfades over its first 5 ms; the rest of that frame is the new mix
        short[] first = Listening.decode(a.sent.subList(before, before + 1), pcmu);
        double newTone = goertzelAmplitude(first, 80, 80, 1500, 8000);
        double oldTone = goertzelAmplitude(first, 80, 80, 900, 8000);
        assertTrue(newTone > 0.8 * AMPLITUDE, "new source at once: " + newTone);
        assertTrue(oldTone < 0.05 * AMPLITUDE, "old source gone at once: " + oldTone);
        run(10, eps, talkers);
        assertTrue(heard(b, pcmu, 500, 10) > 0.9 * AMPLITUDE);
    }

    @Test
    void lostG711PacketsAreConcealedWithoutGaps() {
        bridge = fixture.start(8000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint a = endpoint(1);
        FakeEndpoint b = endpoint(2);
        bridge.addLeg("a", a, pcmu);
        BridgeLeg legB = bridge.addLeg("b", b, pcmu);
        bridge.setMatrix(HearingMatrix.builder().hears("a", "b").build());
        Talker tb = Talker.tone(pcmu, 2, 400, AMPLITUDE);
        for (int i = 0; i < 60; i++) {
            ByteBuf p = tb.next();
            if (i > 10 && i % 7 == 0) {
                p.release(); // lost on the way
            } else {
                b.deliver(p);
            }
            bridge.runDueTicks();
            clock.advanceMillis(20);
        }
        BridgeLegStats stats = legB.stats();
        assertTrue(stats.concealedFrames() >= 6, "concealed " + stats.concealedFrames());
        assertTrue(stats.jitter().lost() >= 6);
        List<FakeEndpoint.Sent> out = a.sentOfType(0);
        short[] pcm = Listening.decode(out.subList(15, out.size()), pcmu);
        for (int f = 0; f + 160 <= pcm.length; f += 160) {
            double amp = goertzelAmplitude(pcm, f, 160, 400, 8000);
            assertTrue(amp > 0.5 * AMPLITUDE, "frame " + f / 160 + " has a gap: " + amp);
        }
    }

    @Test
    void g711PacketsOf30msArePlayedWhole() {
        bridge = fixture.start(8000);
        LegCodec pcma = LegCodec.pcma(-1);
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint a = endpoint(1);
        FakeEndpoint b = endpoint(2);
        BridgeLeg legA = bridge.addLeg("a", a, pcma);
        bridge.addLeg("b", b, pcmu);
        bridge.setMatrix(HearingMatrix.builder().hears("b", "a").build());
        Talker ta = Talker.tone(pcma, 1, 450, AMPLITUDE).packetMillis(30);
        for (int ms = 0; ms < 1200; ms += 10) {
            if (ms % 30 == 0) {
                a.deliver(ta.next());
            }
            if (ms % 20 == 0) {
                bridge.runDueTicks();
            }
            clock.advanceMillis(10);
        }
        BridgeLegStats stats = legA.stats();
        assertEquals(0, stats.malformed());
        assertEquals(0, stats.jitter().lost());
        List<FakeEndpoint.Sent> out = b.sentOfType(0);
        short[] pcm = Listening.decode(out.subList(10, out.size()), pcmu);
        for (int f = 0; f + 160 <= pcm.length; f += 160) {
            double amp = goertzelAmplitude(pcm, f, 160, 450, 8000);
            assertTrue(amp > 0.9 * AMPLITUDE, "frame " + f / 160 + ": " + amp);
        }
        assertTrue(stats.concealedFrames() <= 2, "at most the start-up: " + stats);
    }

    @Test
    void lostOpusPacketsAreConcealedByTheDecoder() {
        bridge = fixture.start(8000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        LegCodec opus = LegCodec.opus(96, -1, Talker.opusAt(8000));
        FakeEndpoint a = endpoint(1);
        FakeEndpoint b = endpoint(2);
        bridge.addLeg("a", a, pcmu);
        BridgeLeg legB = bridge.addLeg("b", b, opus);
        bridge.setMatrix(HearingMatrix.builder().hears("a", "b").build());
        Talker tb = Talker.tone(opus, 2, 440, AMPLITUDE);
        List<ByteBuf> held = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            ByteBuf p = tb.next();
            if (i == 30 || i == 50) {
                p.release();
            } else if (i == 60) {
                held.add(p); // arrives a period late: the next packet's FEC or concealment covers it
            } else {
                b.deliver(p);
                if (!held.isEmpty()) {
                    b.deliver(held.remove(0));
                }
            }
            bridge.runDueTicks();
            clock.advanceMillis(20);
        }
        BridgeLegStats stats = legB.stats();
        assertTrue(stats.concealedFrames() + stats.recoveredFrames() >= 2, stats.toString());
        assertTrue(stats.decodedFrames() >= 70);
        assertTrue(heard(a, pcmu, 440, 20) > 0.6 * AMPLITUDE);
    }

    @Test
    void telephoneEventsAreSplitOffBeforeTheJitterBuffer() {
        bridge = fixture.start(8000);
        LegCodec pcmu = LegCodec.pcmu(101);
        FakeEndpoint a = endpoint(1);
        BridgeLeg leg = bridge.addLeg("a", a, pcmu);
        Talker ta = Talker.tone(pcmu, 1, 500, AMPLITUDE);
        a.deliver(ta.next());
        a.deliver(ta.other(101, new byte[] {5, 0, 0, (byte) 160}));
        assertEquals(1, leg.stats().telephoneEventsDropped(), "released without a handler");

        List<Integer> events = new ArrayList<>();
        leg.setTelephoneEventHandler((rtp, now) -> {
            try {
                events.add((int) rtp.getByte(RtpHeader.payloadOffset(rtp)));
            } finally {
                rtp.release();
            }
        });
        a.deliver(ta.other(101, new byte[] {7, 0, 0, (byte) 160}));
        a.deliver(ta.other(13, new byte[] {40}));
        a.deliver(ta.next());
        assertEquals(List.of(7), events);
        BridgeLegStats s = leg.stats();
        assertEquals(1, s.telephoneEvents());
        assertEquals(1, s.unknownPayloadType(), "comfort noise is not the negotiated codec");
        assertEquals(4, s.jitter().received(), "only audio reaches the jitter buffer (in 10 ms frames)");
    }

    @Test
    void anInjectedPacketReplacesTheAudioFrameInTheSameSequence() {
        bridge = fixture.start(8000);
        LegCodec pcmu = LegCodec.pcmu(101);
        FakeEndpoint a = endpoint(0x1234);
        BridgeLeg leg = bridge.addLeg("a", a, pcmu);
        FakeEndpoint[] eps = {a};
        Talker[] none = {null};
        run(3, eps, none);
        AtomicInteger left = new AtomicInteger(2);
        List<Long> offeredTimestamps = new ArrayList<>();
        leg.setPacketInjector((now, ts, seq, ssrc, dst) -> {
            if (left.getAndDecrement() <= 0) {
                return false;
            }
            offeredTimestamps.add(ts);
            RtpHeader.writeHeader(dst, 101, false, seq, ts - 320, ssrc);
            dst.writeBytes(new byte[] {9, 10, 0, (byte) 160});
            return true;
        });
        run(4, eps, none);
        List<FakeEndpoint.Sent> sent = a.sent;
        assertEquals(7, sent.size());
        for (int i = 1; i < sent.size(); i++) {
            assertEquals((sent.get(i - 1).sequence() + 1) & 0xFFFF, sent.get(i).sequence(), "sequence continuous");
            assertEquals(0x1234, sent.get(i).ssrc());
        }
        assertEquals(101, sent.get(3).payloadType());
        assertEquals(101, sent.get(4).payloadType());
        assertEquals(0, sent.get(5).payloadType());
        assertEquals(sent.get(2).timestamp() + 160, offeredTimestamps.get(0));
        assertEquals(sent.get(2).timestamp() + 480, sent.get(5).timestamp(), "audio timestamps keep real time");
        assertEquals(2, leg.stats().injectedFrames());
    }

    @Test
    void theOutboundHookMayOverwriteTheFrameAtTheEncoderRate() {
        bridge = fixture.start(48000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint a = endpoint(1);
        BridgeLeg leg = bridge.addLeg("a", a, pcmu);
        int[] rates = new int[1];
        long[] n = new long[1];
        leg.setOutboundAudio((pcm, off, len, rate, now) -> {
            rates[0] = rate;
            for (int i = 0; i < len; i++) {
                pcm[off + i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * 1633 * n[0]++ / rate));
            }
        });
        run(10, new FakeEndpoint[] {a}, new Talker[] {null});
        assertEquals(8000, rates[0]);
        assertTrue(heard(a, pcmu, 1633, 5) > 0.95 * AMPLITUDE);
    }

    @Test
    void timestampsAreContinuousAndOpusUsesA48kHzClock() {
        bridge = fixture.start(8000);
        LegCodec opus = LegCodec.opus(111, -1, Talker.opusAt(8000));
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint a = endpoint(0xAAAA);
        FakeEndpoint b = endpoint(0xBBBB);
        bridge.addLeg("a", a, opus);
        bridge.addLeg("b", b, pcmu);
        run(10, new FakeEndpoint[] {a, b}, new Talker[] {null, null});
        assertTrue(a.sent.get(0).marker(), "first packet marks the talkspurt");
        for (int i = 1; i < 10; i++) {
            assertEquals((a.sent.get(i - 1).timestamp() + 960) & 0xFFFFFFFFL, a.sent.get(i).timestamp());
            assertEquals((b.sent.get(i - 1).timestamp() + 160) & 0xFFFFFFFFL, b.sent.get(i).timestamp());
            assertFalse(a.sent.get(i).marker());
            assertEquals(0xAAAAL, a.sent.get(i).ssrc());
        }
    }

    @Test
    void aStallDoesNotAddItsLengthToTheInboundDelay() {
        bridge = fixture.start(8000);
        LegCodec opus = LegCodec.opus(111, -1, Talker.opusAt(8000));
        FakeEndpoint a = endpoint(0xA);
        FakeEndpoint b = endpoint(0xB);
        BridgeLeg leg = bridge.addLeg("a", a, opus);
        bridge.addLeg("b", b, LegCodec.pcmu(-1));
        FakeEndpoint[] eps = {a, b};
        Talker[] talkers = {Talker.tone(opus, 1, 600, AMPLITUDE), null};
        run(30, eps, talkers);
        double before = leg.stats().jitter().currentDelayMillis();
        // The loop is stuck for 10 periods; the packets of that time are read before the overdue ticks run.
        for (int i = 0; i < 10; i++) {
            a.deliver(talkers[0].next());
            clock.advanceMillis(20);
        }
        run(5, eps, talkers);
        assertEquals(8, bridge.stats().skippedTicks());
        double after = leg.stats().jitter().currentDelayMillis();
        assertTrue(after <= before + 25, "delay " + before + " ms before the stall, " + after + " ms after");
        assertTrue(leg.stats().jitter().played() >= 30, "played " + leg.stats().jitter().played());
    }

    @Test
    void aStallSkipsOldTicksInsteadOfBurstingAndCountsThemLate() {
        bridge = fixture.start(8000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint a = endpoint(1);
        BridgeLeg leg = bridge.addLeg("a", a, pcmu);
        run(5, new FakeEndpoint[] {a}, new Talker[] {null});
        long lastTs = a.sent.get(4).timestamp();
        clock.advanceMillis(200); // the loop was stuck for 10 periods
        bridge.runDueTicks();
        BridgeStats s = bridge.stats();
        assertEquals(5 + 3, s.ticks(), "at most three overdue ticks run at once");
        assertEquals(8, s.skippedTicks());
        // deadlines 100..300 ms were due at 300 ms: 100..240 skipped, 260 and 280 run late, 300 on time
        assertEquals(8 + 2, s.lateOutputFrames(), "skipped frames and the two sent late");
        assertEquals(2, s.lateTicks());
        assertEquals(16, s.framesDue());
        assertEquals(8 + 2, leg.stats().lateOutputFrames());
        FakeEndpoint.Sent next = a.sent.get(5);
        assertEquals(lastTs + 9 * 160, next.timestamp(), "skipped periods stay in the timestamp");
        assertTrue(next.marker());
        clock.advanceMillis(20);
        bridge.runDueTicks();
        assertEquals(9, bridge.stats().ticks());
        assertEquals(2, bridge.stats().lateTicks(), "back on the grid");
    }

    @Test
    void aLateTickIsRecordedForJfrWithItsLateness() throws Exception {
        Path file = Files.createTempFile("late-tick", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable(LateTickEvent.class);
            recording.start();
            bridge = fixture.start(8000);
            bridge.addLeg("a", endpoint(1), LegCodec.pcmu(-1));
            bridge.runDueTicks();
            clock.advanceMillis(20);
            bridge.runDueTicks();
            clock.advanceMillis(15);
            bridge.runDueTicks(); // nothing due: 5 ms before the next deadline
            clock.advanceMillis(20);
            bridge.runDueTicks(); // the tick due at 40 ms starts at 55 ms
            clock.advanceMillis(5);
            bridge.runDueTicks(); // on time
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> late = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("io.warmline.LateTick")).toList();
            assertEquals(1, late.size());
            RecordedEvent e = late.get(0);
            assertEquals(15_000_000L, e.getLong("lateness"));
            assertEquals(1, e.getInt("ticksDue"));
            assertEquals(0, e.getLong("skipped"));
            assertEquals(1, e.getInt("legs"));
            assertEquals(20_000_000L, e.getLong("sincePreviousWake"));
            assertTrue(e.getLong("loopCpuSincePreviousWake") >= 0);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void ticksStayOnTheGridWhenWakeUpsAreLate() {
        bridge = fixture.start(8000);
        FakeEndpoint a = endpoint(1);
        bridge.addLeg("a", a, LegCodec.pcmu(-1));
        bridge.runDueTicks();
        for (int i = 0; i < 100; i++) {
            clock.advanceMillis(i % 2 == 0 ? 27 : 13); // wake-ups 7 ms late, then on time: no drift
            bridge.runDueTicks();
        }
        assertEquals(101, bridge.stats().ticks());
        assertEquals(0, bridge.stats().lateOutputFrames());
        clock.advanceMillis(19);
        bridge.runDueTicks();
        assertEquals(101, bridge.stats().ticks(), "not due before its deadline");
    }

    @Test
    void legsHearingTheSameMixWithTheSameCodecShareOneEncode() {
        bridge = fixture.start(8000);
        LegCodec opus = LegCodec.opus(111, -1, Talker.opusAt(8000));
        LegCodec opusOtherPt = LegCodec.opus(96, -1, Talker.opusAt(8000));
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint a = endpoint(1);
        FakeEndpoint b = endpoint(2);
        FakeEndpoint c = endpoint(3);
        FakeEndpoint d = endpoint(4);
        bridge.addLeg("a", a, opus);
        bridge.addLeg("b", b, opusOtherPt);
        bridge.addLeg("c", c, pcmu);
        bridge.addLeg("d", d, pcmu);
        bridge.setMatrix(HearingMatrix.builder().hears("a", "c").hears("b", "c").hears("d", "a").build());
        run(20, new FakeEndpoint[] {a, b, c, d},
                new Talker[] {Talker.tone(opus, 1, 300, AMPLITUDE), null, Talker.tone(pcmu, 3, 800, AMPLITUDE),
                        null});
        BridgeStats s = bridge.stats();
        assertEquals(20, s.sharedEncodes(), "b reuses a's encode every tick");
        assertEquals(60, s.encodes());
        for (int i = 0; i < 20; i++) {
            assertTrue(Arrays.equals(a.sent.get(i).payload(), b.sent.get(i).payload()));
            assertEquals(96, b.sent.get(i).payloadType());
        }
        assertTrue(heard(b, opusOtherPt, 800, 10) > 0.7 * AMPLITUDE);
    }

    @Test
    void sourcesAndSinksMixAsTheMatrixSays() {
        bridge = fixture.start(8000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint a = endpoint(1);
        bridge.addLeg("a", a, pcmu);
        long[] n = new long[1];
        bridge.addSource("tone", new FrameSource() {
            @Override
            public int frameSamples() {
                return 160;
            }

            @Override
            public boolean readFrame(short[] out, int offset) {
                for (int i = 0; i < 160; i++) {
                    out[offset + i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * 1200 * n[0]++ / 8000));
                }
                return true;
            }
        });
        List<short[]> recorded = new ArrayList<>();
        bridge.addSink("rec", (pcm, off, len, rate, now) -> recorded.add(Arrays.copyOfRange(pcm, off, off + len)));
        bridge.setMatrix(HearingMatrix.builder().hears("a", "tone").hears("rec", "a", "tone").build());
        Talker ta = Talker.tone(pcmu, 1, 350, AMPLITUDE / 2);
        run(20, new FakeEndpoint[] {a}, new Talker[] {ta});
        assertTrue(heard(a, pcmu, 1200, 10) > 0.9 * AMPLITUDE);
        short[] last = recorded.get(recorded.size() - 1);
        assertTrue(goertzelAmplitude(last, 1200, 8000) > 0.9 * AMPLITUDE);
        assertTrue(goertzelAmplitude(last, 350, 8000) > 0.45 * AMPLITUDE);
        assertThrows(IllegalArgumentException.class, () -> bridge.addSink("rec", (p, o, l, r, t) -> { }));
    }

    @Test
    void decodedTapsSeeEvery8kHzFrameOfTheLeg() {
        bridge = fixture.start(48000);
        LegCodec opus = LegCodec.opus(111, -1, Talker.opusAt(48000));
        FakeEndpoint a = endpoint(1);
        BridgeLeg leg = bridge.addLeg("a", a, opus);
        List<short[]> frames = new ArrayList<>();
        leg.addDecodedTap((pcm, off, len, now) -> frames.add(Arrays.copyOfRange(pcm, off, off + len)));
        run(30, new FakeEndpoint[] {a}, new Talker[] {Talker.tone(opus, 1, 941, AMPLITUDE)});
        assertEquals(30, frames.size(), "one frame per tick, silence included");
        assertEquals(160, frames.get(0).length);
        assertTrue(goertzelAmplitude(frames.get(29), 941, 8000) > 0.7 * AMPLITUDE);
    }

    @Test
    void aTapAddedLateHearsTheLegFromItsFirstFrame() {
        bridge = fixture.start(16000);
        LegCodec opus = LegCodec.opus(111, -1, Talker.opusAt(16000));
        FakeEndpoint a = endpoint(1);
        BridgeLeg leg = bridge.addLeg("a", a, opus);
        Talker talker = Talker.tone(opus, 1, 941, AMPLITUDE);
        run(40, new FakeEndpoint[] {a}, new Talker[] {talker});
        List<short[]> frames = new ArrayList<>();
        leg.addDecodedTap((pcm, off, len, now) -> frames.add(Arrays.copyOfRange(pcm, off, off + len)));
        run(5, new FakeEndpoint[] {a}, new Talker[] {talker});
        assertEquals(5, frames.size());
        assertEquals(160, frames.get(0).length);
        assertTrue(goertzelAmplitude(frames.get(0), 941, 8000) > 0.6 * AMPLITUDE, "first frame after the tap");
        assertTrue(goertzelAmplitude(frames.get(1), 941, 8000) > 0.7 * AMPLITUDE);
    }

    @Test
    void aCodecChangeSwapsTheLegCleanly() {
        bridge = fixture.start(8000);
        LegCodec pcmu = LegCodec.pcmu(101);
        LegCodec opus = LegCodec.opus(111, 101, Talker.opusAt(8000));
        FakeEndpoint a = endpoint(1);
        FakeEndpoint b = endpoint(2);
        BridgeLeg legA = bridge.addLeg("a", a, pcmu);
        bridge.addLeg("b", b, pcmu);
        bridge.setMatrix(HearingMatrix.builder().conference("a", "b").build());
        FakeEndpoint[] eps = {a, b};
        run(20, eps, new Talker[] {Talker.tone(pcmu, 1, 600, AMPLITUDE), Talker.tone(pcmu, 2, 1000, AMPLITUDE)});
        legA.setCodec(opus);
        int before = a.sent.size();
        run(30, eps, new Talker[] {Talker.tone(opus, 1, 600, AMPLITUDE), Talker.tone(pcmu, 2, 1000, AMPLITUDE)});
        FakeEndpoint.Sent first = a.sent.get(before);
        assertEquals(111, first.payloadType());
        assertTrue(first.marker(), "the new format starts a talkspurt");
        assertEquals(a.sent.get(before - 1).sequence() + 1 & 0xFFFF, first.sequence());
        assertTrue(heard(a, opus, 1000, 10) > 0.7 * AMPLITUDE);
        assertTrue(heard(b, pcmu, 600, 10) > 0.7 * AMPLITUDE, "a's Opus is decoded after the change");
        assertEquals(1, legA.stats().codecChanges());
    }

    @Test
    void aRemovedLegIsNeitherHeardNorListened() {
        bridge = fixture.start(8000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint a = endpoint(1);
        FakeEndpoint b = endpoint(2);
        bridge.addLeg("a", a, pcmu);
        bridge.addLeg("b", b, pcmu);
        bridge.setMatrix(HearingMatrix.builder().conference("a", "b").build());
        run(5, new FakeEndpoint[] {a, b}, new Talker[] {null, null});
        bridge.remove("b");
        assertEquals(null, b.listener);
        b.deliver(Talker.tone(pcmu, 2, 100, 100).next());
        int sent = b.sent.size();
        run(5, new FakeEndpoint[] {a}, new Talker[] {null});
        assertEquals(sent, b.sent.size());
        assertEquals(1, bridge.stats().legs());
        assertNotNull(bridge.addLeg("b", b, pcmu), "the id is free again");
    }

    @Test
    void anEndpointOnAnotherLoopIsRefused() {
        bridge = fixture.start(8000);
        EmbeddedChannel other = new EmbeddedChannel();
        try {
            assertThrows(IllegalArgumentException.class,
                    () -> bridge.addLeg("x", new FakeEndpoint(other.eventLoop(), 1), LegCodec.pcmu(-1)));
        } finally {
            other.finishAndReleaseAll();
        }
    }

    @Test
    void steadyStateTicksAllocateNothing() {
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        // the paranoid detector records every buffer it tracks; measure the bridge, not the detector
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        try {
            bridge = fixture.start(16000);
            LegCodec pcmu = LegCodec.pcmu(-1);
            LegCodec pcma = LegCodec.pcma(-1);
            FakeEndpoint a = endpoint(1);
            FakeEndpoint b = endpoint(2);
            a.keep = false;
            b.keep = false;
            bridge.addLeg("a", a, pcmu);
            bridge.addLeg("b", b, pcma);
            bridge.setMatrix(HearingMatrix.builder().conference("a", "b").build());
            Talker ta = Talker.tone(pcmu, 1, 500, AMPLITUDE);
            Talker tb = Talker.tone(pcma, 2, 700, AMPLITUDE);
            ByteBuf[] pa = new ByteBuf[200];
            ByteBuf[] pb = new ByteBuf[200];
            for (int i = 0; i < 200; i++) {
                pa[i] = ta.next();
                pb[i] = tb.next();
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
