package io.warmline.media.jitter;

import io.warmline.media.testing.Allocations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.jitter.PlayoutFrame.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Drives the buffer through fake time: packets sent every 20 ms, delivered per a pattern, polled every 20 ms. */
class JitterBufferTest {

    private static final long MS = 1_000_000L;
    private static final int FRAME = 160;
    private static final long POLL_PHASE = 7 * MS;

    /** One packet on the wire. */
    record Packet(int ssrc, int seq, long ts, boolean marker, long arrival, int id) {
    }

    /** What a run produced. */
    record Run(JitterBufferStats stats, List<PlayoutFrame.Kind> kinds, List<Integer> playedIds,
               List<Double> targets, List<Double> delays, List<OfferResult> offers, int fecHints) {

        long count(Kind kind) {
            return kinds.stream().filter(k -> k == kind).count();
        }

        double lastTarget() {
            return targets.get(targets.size() - 1);
        }

        /** Delay at the last frame played. */
        double lastDelay() {
            return delays.get(delays.size() - 1);
        }

        /** Frames concealed before the end of the stream (the buffer runs dry after the last packet). */
        long concealedInStream() {
            int last = kinds.lastIndexOf(Kind.AUDIO);
            long trailing = kinds.subList(last + 1, kinds.size()).stream().filter(k -> k == Kind.MISSING).count();
            return stats.concealed() - trailing;
        }
    }

    /** A stream of {@code n} 20 ms packets whose i-th packet arrives at 20·i ms + delay(i); NaN drops it. */
    static List<Packet> stream(int n, int seq0, long ts0, java.util.function.IntToDoubleFunction delayMillis) {
        List<Packet> packets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double d = delayMillis.applyAsDouble(i);
            if (Double.isNaN(d)) {
                continue;
            }
            long arrival = i * 20 * MS + Math.round(d * MS);
            packets.add(new Packet(0x1234, (seq0 + i) & 0xFFFF, (ts0 + (long) i * FRAME) & 0xFFFFFFFFL,
                    false, arrival, i));
        }
        return packets;
    }

    static Run run(JitterBufferConfig config, List<Packet> packets) {
        JitterBuffer jb = new JitterBuffer(config);
        List<Packet> byArrival = new ArrayList<>(packets);
        byArrival.sort(Comparator.comparingLong(Packet::arrival));
        long end = byArrival.get(byArrival.size() - 1).arrival() + 500 * MS;
        List<Kind> kinds = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        List<Double> targets = new ArrayList<>();
        List<Double> delays = new ArrayList<>();
        List<OfferResult> offers = new ArrayList<>();
        int fec = 0;
        byte[] payload = new byte[FRAME];
        int next = 0;
        for (long now = POLL_PHASE; now <= end; now += 20 * MS) {
            while (next < byArrival.size() && byArrival.get(next).arrival() <= now) {
                Packet p = byArrival.get(next++);
                payload[0] = (byte) (p.id() >> 8);
                payload[1] = (byte) p.id();
                offers.add(jb.offer(p.ssrc(), p.seq(), p.ts(), p.marker(), payload, 0, FRAME, p.arrival()));
            }
            PlayoutFrame f = jb.poll(now);
            kinds.add(f.kind());
            if (f.kind() == Kind.AUDIO) {
                assertEquals(FRAME, f.payloadLength());
                ids.add(((f.payload()[0] & 0xFF) << 8) | (f.payload()[1] & 0xFF));
            }
            if (f.kind() == Kind.MISSING && f.hasNext()) {
                fec++;
            }
            targets.add(jb.targetDelayMillis());
            if (f.kind() == Kind.AUDIO) {
                delays.add(jb.currentDelayMillis());
            }
        }
        return new Run(jb.stats(), kinds, ids, targets, delays, offers, fec);
    }

    private static JitterBufferConfig voice() {
        return JitterBufferConfig.voice(8000);
    }

    private static void assertPlayedInOrder(Run r) {
        for (int i = 1; i < r.playedIds().size(); i++) {
            assertTrue(r.playedIds().get(i) > r.playedIds().get(i - 1), "played out of order at " + i);
        }
    }

    static Stream<Arguments> patterns() {
        Random random = new Random(7);
        boolean[] lost = new boolean[500];
        int lostCount = 0;
        for (int i = 5; i < 500; i++) {
            lost[i] = random.nextDouble() < 0.05;
            lostCount += lost[i] ? 1 : 0;
        }
        int randomLost = lostCount;
        double[] uniform = new Random(11).doubles(1000, 0, 60).toArray();
        return Stream.of(
            Arguments.of("steady 30 ms", stream(500, 100, 5000, i -> 30), (Consumer<Run>) r -> {
                assertEquals(500, r.stats().played());
                assertEquals(0, r.concealedInStream());
                assertEquals(0, r.stats().late());
                assertEquals(0, r.stats().lost());
                assertEquals(20.0, r.lastTarget(), 1e-9);
                double d = r.delays().get(200);
                assertTrue(d >= 20 && d < 40, "delay " + d);
            }),
            Arguments.of("pairs swapped every 10th packet", stream(500, 0, 0, i -> i % 10 == 9 ? 30 + 25 : 30),
                (Consumer<Run>) r -> {
                    assertEquals(0, r.stats().lost());
                    assertTrue(r.stats().late() <= 1, "late " + r.stats().late());
                    assertTrue(r.stats().played() >= 499);
                    assertPlayedInOrder(r);
                    assertEquals(25.0, r.lastTarget(), 0.01, "95th percentile of a 10 % 25 ms tail");
                    assertTrue(r.lastDelay() >= 25 && r.lastDelay() < 25 + 30, "delay " + r.lastDelay());
                }),
            Arguments.of("5 % random loss", stream(500, 0, 0, i -> lost[i] ? Double.NaN : 30), (Consumer<Run>) r -> {
                assertEquals(randomLost, r.stats().lost());
                assertEquals(500 - randomLost, r.stats().played());
                assertEquals(randomLost, r.concealedInStream());
                assertEquals(randomLost, r.fecHints(), "each gap offers the next packet for FEC");
                assertEquals(0, r.stats().late());
                assertPlayedInOrder(r);
            }),
            Arguments.of("bursts of 5 and 8 lost", stream(500, 0, 0,
                    i -> (i >= 100 && i < 105) || (i >= 300 && i < 308) ? Double.NaN : 30), (Consumer<Run>) r -> {
                assertEquals(13, r.stats().lost());
                assertEquals(487, r.stats().played());
                assertEquals(2 * voice().concealFrames(), r.concealedInStream(),
                        "a burst longer than the concealment limit ends in silence and a fresh start");
                assertEquals(0, r.stats().late());
                assertPlayedInOrder(r);
            }),
            Arguments.of("uniform 0-60 ms jitter", stream(1000, 0, 0, i -> 30 + uniform[i]), (Consumer<Run>) r -> {
                assertEquals(0, r.stats().lost());
                assertTrue(r.lastTarget() >= 50 && r.lastTarget() <= 60, "target " + r.lastTarget());
                assertTrue(r.stats().late() <= 10, "late " + r.stats().late());
                assertTrue(r.stats().played() >= 970, "played " + r.stats().played());
                assertTrue(r.lastDelay() >= r.lastTarget() - 20, "delay " + r.lastDelay());
                assertPlayedInOrder(r);
                assertTrue(r.stats().jitterMillis() > 10 && r.stats().jitterMillis() < 30,
                        "RFC 3550 jitter of U(0,60) is about 20 ms: " + r.stats().jitterMillis());
            }),
            Arguments.of("jitter beyond the maximum", stream(500, 0, 0, i -> 30 + (i % 4 == 0 ? 400 : 0)),
                (Consumer<Run>) r -> {
                    assertEquals(200.0, r.lastTarget(), 1e-9);
                    assertTrue(r.stats().late() >= 100, "a quarter arrive 400 ms late");
                    assertEquals(0, r.stats().lost());
                }),
            Arguments.of("delay steps up by 150 ms", stream(600, 0, 0, i -> i < 200 ? 30 : 180), (Consumer<Run>) r -> {
                assertEquals(0, r.stats().lost());
                assertEquals(0, r.stats().late());
                assertEquals(600, r.stats().played());
                assertEquals(20.0, r.lastTarget(), 1e-9, "the old transits have left the history");
                assertTrue(r.lastDelay() >= 20 && r.lastDelay() < 50, "delay " + r.lastDelay());
            }),
            Arguments.of("sequence and timestamp wrap", stream(1000, 65000, 0xFFFFFF00L, i -> 30),
                (Consumer<Run>) r -> {
                    assertEquals(1000, r.stats().played());
                    assertEquals(0, r.stats().lost());
                    assertEquals(0, r.concealedInStream());
                    assertPlayedInOrder(r);
                })
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    void pattern(String name, List<Packet> packets, Consumer<Run> check) {
        check.accept(run(voice(), packets));
    }

    @Test
    void ssrcChangeResetsAndKeepsPlaying() {
        List<Packet> packets = new ArrayList<>(stream(200, 10, 1000, i -> 30));
        for (Packet p : stream(200, 40000, 777777, i -> 30)) {
            packets.add(new Packet(0x9999, p.seq(), p.ts(), false, p.arrival() + 200 * 20 * MS, p.id() + 200));
        }
        Run r = run(voice(), packets);
        assertEquals(1, r.stats().resets());
        assertEquals(0, r.stats().lost());
        assertEquals(400, r.stats().played() + r.stats().discarded());
        assertTrue(r.stats().played() >= 398, "played " + r.stats().played());
        assertPlayedInOrder(r);
    }

    @Test
    void timestampJumpRestartsTheTimeline() {
        List<Packet> packets = new ArrayList<>(stream(400, 0, 0,
                i -> 30));
        packets.replaceAll(p -> p.id() >= 200
                ? new Packet(p.ssrc(), p.seq(), (p.ts() + 10_000_000L) & 0xFFFFFFFFL, false, p.arrival(), p.id())
                : p);
        Run r = run(voice(), packets);
        assertEquals(1, r.stats().discontinuities());
        assertEquals(0, r.stats().lost());
        assertEquals(400, r.stats().played() + r.stats().discarded());
        assertTrue(r.stats().played() >= 398, "played " + r.stats().played());
        assertEquals(20.0, r.lastTarget(), 1e-9, "no jitter is inferred from the jump");
        assertPlayedInOrder(r);
    }

    @Test
    void dtxGapIsSilenceNotLoss() {
        List<Packet> packets = new ArrayList<>();
        // 200 packets, 2 s of DTX (no packets, sequence numbers continue), then a marked talkspurt of 200.
        for (Packet p : stream(400, 0, 0, i -> 30)) {
            if (p.id() < 200) {
                packets.add(p);
            } else {
                long ts = (p.ts() + 100L * FRAME) & 0xFFFFFFFFL;
                packets.add(new Packet(p.ssrc(), p.seq(), ts, p.id() == 200, p.arrival() + 2000 * MS, p.id()));
            }
        }
        Run r = run(voice(), packets);
        assertEquals(0, r.stats().lost());
        assertEquals(400, r.stats().played());
        assertEquals(voice().concealFrames(), r.concealedInStream(), "a few frames concealed, then silence");
        assertTrue(r.count(Kind.SILENCE) >= 95, "silence frames " + r.count(Kind.SILENCE));
        assertEquals(0, r.stats().discontinuities());
        assertPlayedInOrder(r);
    }

    @Test
    void shortDtxGapWithTheNextTalkspurtBufferedIsSilenceNotConcealment() {
        // 60 ms of DTX; with a 100 ms delay the next talkspurt is already buffered when the gap is reached.
        List<Packet> packets = new ArrayList<>();
        for (Packet p : stream(200, 0, 0, i -> 30)) {
            if (p.id() < 100) {
                packets.add(p);
            } else {
                long ts = (p.ts() + 3L * FRAME) & 0xFFFFFFFFL;
                packets.add(new Packet(p.ssrc(), p.seq(), ts, false, p.arrival() + 60 * MS, p.id()));
            }
        }
        Run r = run(new JitterBufferConfig(8000, 20, 100, 200, 50, 1500, 3, 0.95, 0), packets);
        assertEquals(0, r.stats().lost());
        assertEquals(200, r.stats().played());
        assertEquals(0, r.concealedInStream(), "no marker bit, but the timestamp outruns the sequence number");
        int first = r.kinds().indexOf(Kind.AUDIO);
        assertEquals(3, r.kinds().subList(first, r.kinds().lastIndexOf(Kind.AUDIO)).stream()
                .filter(k -> k == Kind.SILENCE).count());
        assertPlayedInOrder(r);
    }

    @Test
    void duplicatesAreCountedAndPlayedOnce() {
        List<Packet> packets = new ArrayList<>(stream(500, 0, 0, i -> 30));
        for (Packet p : stream(500, 0, 0, i -> 35)) {
            if (p.id() % 10 == 0) {
                packets.add(p);
            }
        }
        Run r = run(voice(), packets);
        assertEquals(50, r.stats().duplicates());
        assertEquals(500, r.stats().played());
        assertEquals(50, r.offers().stream().filter(o -> o == OfferResult.DUPLICATE).count());
        assertEquals(0, r.stats().lost());
    }

    @Test
    void latePacketIsDroppedAndCounted() {
        Run r = run(voice(), stream(300, 0, 0, i -> i == 100 ? 530 : 30));
        assertEquals(1, r.stats().late());
        assertEquals(1, r.offers().stream().filter(o -> o == OfferResult.LATE).count());
        assertEquals(0, r.stats().lost(), "a late packet was received (RFC 3550 counts it)");
        assertEquals(299, r.stats().played());
        assertEquals(1, r.concealedInStream());
    }

    @Test
    void depthIsBoundedAndOverflowDiscardsTheOldest() {
        JitterBufferConfig config = new JitterBufferConfig(8000, 20, 20, 200, 10, 1500, 3, 0.95, 0);
        JitterBuffer jb = new JitterBuffer(config);
        byte[] payload = new byte[FRAME];
        // Nobody polls for 600 ms: 29 packets arrive (15 is missing) and only the newest 10 can stay.
        for (int i = 0; i < 30; i++) {
            if (i != 15) {
                assertEquals(OfferResult.BUFFERED, jb.offer(1, i, (long) i * FRAME, false, payload, 0, FRAME, i * 20 * MS));
            }
        }
        assertEquals(10, jb.depth());
        assertEquals(19, jb.discarded());
        assertEquals(OfferResult.DISCARDED, jb.offer(1, 15, 15L * FRAME, false, payload, 0, FRAME, 600 * MS),
                "an older packet than all buffered ones is not worth a slot");
        assertEquals(20, jb.discarded());
        assertEquals(10, jb.depth());
        PlayoutFrame f = jb.poll(620 * MS);
        assertEquals(Kind.AUDIO, f.kind());
        assertEquals(20, f.sequenceNumber(), "the newest packets were kept");
    }

    @Test
    void playoutCatchesUpAfterTheOwnerStalledLongerThanTheBufferHolds() {
        JitterBufferConfig config = JitterBufferConfig.voice(8000);
        JitterBuffer jb = new JitterBuffer(config);
        byte[] payload = new byte[FRAME];
        int seq = 0;
        long now = 0;
        // One second of steady playout.
        for (; seq < 50; seq++, now += 20 * MS) {
            jb.offer(1, seq, (long) seq * FRAME, seq == 0, payload, 0, FRAME, now);
            jb.poll(now + POLL_PHASE);
        }
        // The owner's loop stalls for 1.5 s (no polls) while packets keep arriving: more than the buffer holds.
        for (int i = 0; i < 75; i++, seq++, now += 20 * MS) {
            jb.offer(1, seq, (long) seq * FRAME, false, payload, 0, FRAME, now);
        }
        // Polling resumes at the frame rate; the stream goes on without a marker (no new talkspurt).
        int audio = 0;
        int lastAudio = -1;
        for (int i = 0; i < 100; i++, seq++, now += 20 * MS) {
            jb.offer(1, seq, (long) seq * FRAME, false, payload, 0, FRAME, now);
            if (jb.poll(now + POLL_PHASE).kind() == Kind.AUDIO) {
                audio++;
                lastAudio = i;
            }
        }
        assertEquals(99, lastAudio, "playout never recovered: " + jb.stats());
        assertTrue(audio >= 90, "only " + audio + " of 100 frames played after the stall: " + jb.stats());
        assertTrue(jb.currentDelayMillis() <= config.maxDelayMillis(), "still " + jb.currentDelayMillis() + " ms behind");
    }

    @Test
    void aCatchUpAfterAStallShowsEveryDroppedPacketInOrderBeforeThePollReturns() {
        JitterBuffer jb = new JitterBuffer(voice());
        List<Integer> dropped = new ArrayList<>();
        List<Long> due = new ArrayList<>();
        jb.setDropListener((ts, payload, length, dueNanos) -> {
            assertEquals(FRAME, length);
            dropped.add(payload[0] & 0xFF);
            due.add(dueNanos);
        });
        byte[] payload = new byte[FRAME];
        int seq = 1;
        List<Integer> played = new ArrayList<>();
        for (; seq <= 10; seq++) {
            payload[0] = (byte) seq;
            jb.offer(1, seq, (long) (seq - 1) * FRAME, false, payload, 0, FRAME, (seq - 1) * 20 * MS);
            PlayoutFrame f = jb.poll((seq - 1) * 20 * MS + POLL_PHASE);
            if (f.kind() == Kind.AUDIO) {
                played.add(f.payload()[0] & 0xFF);
            }
        }
        // the owner stalls for 400 ms: the packets arrive on time but nobody polls
        for (; seq <= 30; seq++) {
            payload[0] = (byte) seq;
            jb.offer(1, seq, (long) (seq - 1) * FRAME, false, payload, 0, FRAME, (seq - 1) * 20 * MS);
        }
        int droppedBefore = dropped.size();
        PlayoutFrame f = jb.poll(29 * 20 * MS + POLL_PHASE);
        assertEquals(Kind.AUDIO, f.kind());
        int first = f.payload()[0] & 0xFF;
        assertTrue(dropped.size() - droppedBefore > 10, "the jump dropped the backlog: " + dropped);
        assertEquals(jb.stats().discarded() + jb.stats().late(), dropped.size());
        List<Integer> all = new ArrayList<>(played);
        all.addAll(dropped);
        all.add(first);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(all.get(0) + i, all.get(i), "played then dropped, each once, in order: " + all);
        }
        for (int i = 1; i < due.size(); i++) {
            assertEquals(20 * MS, due.get(i) - due.get(i - 1));
        }
        assertTrue(due.get(due.size() - 1) < 29 * 20 * MS + POLL_PHASE, "each was due before the poll");
    }

    @Test
    void malformedPayloadsAreCounted() {
        JitterBuffer jb = new JitterBuffer(voice());
        assertEquals(OfferResult.MALFORMED, jb.offer(1, 1, 0, false, new byte[0], 0, 0, 0));
        assertEquals(OfferResult.MALFORMED, jb.offer(1, 1, 0, false, new byte[2000], 0, 2000, 0));
        assertEquals(OfferResult.MALFORMED, jb.offer(1, 1, 0, false, new byte[10], 5, 10, 0));
        assertEquals(3, jb.stats().malformed());
        assertEquals(0, jb.stats().received());
        assertEquals(Kind.SILENCE, jb.poll(0).kind());
    }

    @Test
    void nothingToPlayBeforeTheTargetDelayHasPassed() {
        JitterBuffer jb = new JitterBuffer(new JitterBufferConfig(8000, 20, 60, 200, 50, 1500, 3, 0.95, 0));
        byte[] payload = new byte[FRAME];
        jb.offer(1, 1, 0, false, payload, 0, FRAME, 0);
        assertEquals(Kind.SILENCE, jb.poll(40 * MS).kind());
        jb.offer(1, 2, FRAME, false, payload, 0, FRAME, 20 * MS);
        jb.offer(1, 3, 2 * FRAME, false, payload, 0, FRAME, 40 * MS);
        assertEquals(Kind.SILENCE, jb.poll(59 * MS).kind());
        PlayoutFrame f = jb.poll(60 * MS);
        assertEquals(Kind.AUDIO, f.kind());
        assertEquals(1, f.sequenceNumber());
        assertEquals(60.0, jb.currentDelayMillis(), 1e-9);
    }

    @Test
    void configIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new JitterBufferConfig(8000, 20, 100, 50, 50, 1500, 3, .95, 0));
        assertThrows(IllegalArgumentException.class, () -> new JitterBufferConfig(8000, 20, 20, 200, 1, 1500, 3, .95, 0));
        assertThrows(IllegalArgumentException.class, () -> new JitterBufferConfig(8000, 20, 20, 200, 50, 1500, 3, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new JitterBufferConfig(11025, 3, 20, 200, 50, 1500, 3, .9, 0));
        assertEquals(960, JitterBufferConfig.voice(48000).frameSamples());
    }

    @Test
    void steadyStateAllocatesNothing() {
        JitterBuffer jb = new JitterBuffer(voice());
        byte[] payload = new byte[FRAME];
        long[] clock = {0};
        Runnable packets = () -> {
            for (int i = 0; i < 500; i++) {
                long now = clock[0] * 20 * MS;
                jb.offer(5, (int) clock[0], clock[0] * FRAME, false, payload, 0, FRAME, now + (clock[0] % 3) * MS);
                jb.poll(now + 7 * MS);
                clock[0]++;
            }
        };
        packets.run();
        assertTrue(Allocations.steadyStateBytes(packets) < 1024, "allocates per packet");
        assertTrue(jb.stats().played() > 900);
    }

}
