package io.warmline.media.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.rtcp.NtpTime;
import io.warmline.media.rtcp.ReportBlock;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReceptionStatsTest {

    private static final long PACKET_NANOS = 20_000_000L;

    /** Feeds {@code seqs} at 20 ms spacing with timestamps following the sequence numbers (160 per packet). */
    private static ReceptionStats feed(int... seqs) {
        ReceptionStats stats = new ReceptionStats(8000);
        long now = 1_000_000_000L;
        for (int seq : seqs) {
            stats.onPacket(seq, 160L * seq, now);
            now += PACKET_NANOS;
        }
        return stats;
    }

    private static int[] range(int from, int toInclusive) {
        int[] out = new int[toInclusive - from + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = (from + i) & 0xFFFF;
        }
        return out;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    static Stream<Arguments> sequences() {
        return Stream.of(
                // name, sequence, received, expected, extended highest, cumulative lost
                Arguments.of("in order", range(1000, 1099), 99, 99, 1099, 0),
                Arguments.of("two lost", concat(range(1000, 1004), range(1007, 1019)), 17, 19, 1019, 2),
                Arguments.of("reordered", new int[] {1000, 1001, 1003, 1002, 1004, 1006, 1005}, 6, 6, 1006, 0),
                Arguments.of("duplicate", new int[] {1000, 1001, 1002, 1002, 1003}, 4, 3, 1003, -1),
                Arguments.of("wrap", range(65530, 65541), 11, 11, 65536 + 5, 0),
                Arguments.of("reorder across wrap", new int[] {65533, 65534, 65535, 1, 0, 2}, 5, 5, 65536 + 2, 0),
                Arguments.of("loss across wrap", concat(range(65530, 65534), range(65538, 65545)), 12, 15,
                        65536 + 9, 3),
                Arguments.of("old packet beyond the misorder window is not counted",
                        concat(range(5000, 5300), new int[] {5100}), 300, 300, 5300, 0),
                Arguments.of("probation restarts on a gap", new int[] {10, 20, 21, 22}, 2, 2, 22, 0),
                Arguments.of("single packet stays on probation", new int[] {7}, 0, 0, 7, 0),
                Arguments.of("two wraps", range(0, 2 * 65536 + 10), 2 * 65536 + 10, 2 * 65536 + 10,
                        2 * 65536 + 10, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sequences")
    void countsSequences(String name, int[] seqs, long received, long expected, long extendedHighest, long lost) {
        ReceptionStats stats = feed(seqs);
        assertEquals(received, stats.packetsReceived(), "received");
        assertEquals(expected, stats.expected(), "expected");
        assertEquals(extendedHighest, stats.extendedHighestSeq(), "extended highest");
        assertEquals(lost, stats.cumulativeLost(), "lost");
    }

    @Test
    void probationAcceptsTheSecondSequentialPacket() {
        ReceptionStats stats = new ReceptionStats(8000);
        assertFalse(stats.onPacket(100, 0, 0));
        assertFalse(stats.valid());
        assertTrue(stats.onPacket(101, 160, PACKET_NANOS));
        assertTrue(stats.valid());
        assertTrue(stats.onPacket(102, 320, 2 * PACKET_NANOS));
        assertEquals(2, stats.packetsReceived());
    }

    @Test
    void largeJumpIsDroppedOnceThenTakenAsRestart() {
        ReceptionStats stats = feed(range(1000, 1010));
        assertFalse(stats.onPacket(30000, 0, 0), "first packet after a big jump is not counted");
        assertEquals(10, stats.packetsReceived());
        assertTrue(stats.onPacket(30001, 160, PACKET_NANOS), "the next in sequence restarts the source");
        assertEquals(1, stats.packetsReceived());
        assertEquals(30001, stats.extendedHighestSeq());
        assertEquals(0, stats.cumulativeLost());
        assertTrue(stats.onPacket(30002, 320, 2 * PACKET_NANOS));
        assertEquals(2, stats.expected());
    }

    @Test
    void jumpWithinDropoutIsLoss() {
        ReceptionStats stats = feed(concat(range(1000, 1010), range(3900, 3905)));
        assertEquals(3905 - 1001 + 1, stats.expected());
        assertEquals(3905 - 1001 + 1 - 16, stats.cumulativeLost());
    }

    @Test
    void fractionLostCoversOnlyTheIntervalSinceTheLastReport() {
        ReceptionStats stats = new ReceptionStats(8000);
        long now = 0;
        for (int seq = 0; seq <= 100; seq++) {
            if (seq % 10 != 5) {
                stats.onPacket(seq, seq * 160L, now);
            }
            now += PACKET_NANOS;
        }
        // Base is 1; sequences 1..100 expected (100), 10 lost: 25.6 -> 25 in 1/256.
        assertEquals(25, stats.fractionLost());
        ReportBlock first = stats.toReportBlock(0x1234, now);
        assertEquals(25, first.fractionLost());
        assertEquals(10, first.cumulativeLost());
        assertEquals(100, first.extendedHighestSeq());
        assertEquals(0, stats.fractionLost(), "new interval");

        for (int seq = 101; seq <= 200; seq++) {
            if (seq % 4 != 1) {
                stats.onPacket(seq, seq * 160L, now);
            }
            now += PACKET_NANOS;
        }
        ReportBlock second = stats.toReportBlock(0x1234, now);
        assertEquals(64, second.fractionLost(), "25 of 100 lost");
        assertEquals(35, second.cumulativeLost());

        ReportBlock third = stats.toReportBlock(0x1234, now);
        assertEquals(0, third.fractionLost(), "no packets expected in the interval");
        assertEquals(0x1234, third.ssrc());
    }

    @Test
    void duplicatesGiveZeroFractionAndNegativeLoss() {
        ReceptionStats stats = feed(new int[] {1, 2, 3, 3, 3, 4});
        ReportBlock block = stats.toReportBlock(1, 0);
        assertEquals(0, block.fractionLost());
        assertEquals(-2, block.cumulativeLost());
    }

    @Test
    void cumulativeLostIsClampedTo24BitsInTheReport() {
        ReceptionStats stats = new ReceptionStats(8000);
        int seq = 0;
        stats.onPacket(seq, 0, 0);
        stats.onPacket(++seq, 0, 0);
        for (int i = 0; i < 3000; i++) {
            seq = (seq + 2999) & 0xFFFF;
            assertTrue(stats.onPacket(seq, 0, 0));
        }
        assertTrue(stats.cumulativeLost() > ReportBlock.MAX_CUMULATIVE_LOST);
        ReportBlock block = stats.toReportBlock(1, 0);
        assertEquals(ReportBlock.MAX_CUMULATIVE_LOST, block.cumulativeLost());
        assertEquals(255, block.fractionLost(), "2998 of every 2999 lost");
    }

    @Test
    void jitterIsZeroForPerfectlyPacedPackets() {
        ReceptionStats stats = feed(range(0, 500));
        assertEquals(0, stats.jitter());
    }

    /** A.8 by hand: one packet 10 ms late (D = 80 units at 8 kHz) and the next back on time. */
    @Test
    void jitterOfOneLatePacketFollowsRfcFormula() {
        ReceptionStats stats = new ReceptionStats(8000);
        stats.onPacket(0, 0, 0);
        stats.onPacket(1, 160, PACKET_NANOS);
        stats.onPacket(2, 320, 2 * PACKET_NANOS);
        assertEquals(0, stats.jitter());
        stats.onPacket(3, 480, 3 * PACKET_NANOS + 10_000_000L);
        assertEquals(5, stats.jitter(), "J = 80/16");
        stats.onPacket(4, 640, 4 * PACKET_NANOS);
        assertEquals(9, stats.jitter(), "J = 5 + (80 - 5)/16, integer form");
        stats.onPacket(5, 800, 5 * PACKET_NANOS);
        assertEquals(9, stats.jitter(), "decays by J/16: 155 - 10 = 145 (/16 = 9)");
    }

    /** Alternating ±A around the nominal arrival gives |D| = 2A every packet, so J converges to 2A. */
    @Test
    void jitterConvergesForAlternatingDelay() {
        ReceptionStats stats = new ReceptionStats(48000);
        long jitterNanos = 2_000_000L; // ±2 ms: 2A = 4 ms = 192 units at 48 kHz
        for (int seq = 0; seq < 400; seq++) {
            long offset = seq % 2 == 0 ? jitterNanos : -jitterNanos;
            stats.onPacket(seq, 960L * seq, 1_000_000_000L + seq * PACKET_NANOS + offset);
        }
        assertTrue(Math.abs(stats.jitter() - 192) <= 1, "jitter " + stats.jitter());
    }

    @Test
    void jitterHandlesTimestampWrap() {
        ReceptionStats stats = new ReceptionStats(8000);
        long ts = 0xFFFFFFFFL - 160 * 5;
        for (int seq = 0; seq < 20; seq++) {
            stats.onPacket(seq, ts & 0xFFFFFFFFL, seq * PACKET_NANOS);
            ts += 160;
        }
        assertEquals(0, stats.jitter());
    }

    @Test
    void reportCarriesLsrAndDlsrOfTheLastSenderReport() {
        ReceptionStats stats = feed(range(0, 10));
        ReportBlock none = stats.toReportBlock(9, 5_000_000_000L);
        assertEquals(0, none.lastSr());
        assertEquals(0, none.delaySinceLastSr());

        long ntp = NtpTime.fromUnixNanos(1_700_000_000_123_000_000L);
        stats.onSenderReport(ntp, 5_000_000_000L);
        ReportBlock block = stats.toReportBlock(9, 6_500_000_000L);
        assertEquals(NtpTime.middle32(ntp), block.lastSr());
        assertEquals(98304, block.delaySinceLastSr(), "1.5 s in 1/65536 s");

        ReportBlock explicit = stats.toReportBlock(9, 0xABCD1234L, 5_000_000_000L, 5_250_000_000L);
        assertEquals(0xABCD1234L, explicit.lastSr());
        assertEquals(16384, explicit.delaySinceLastSr());
    }

    @Test
    void rejectsNonPositiveClockRate() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new ReceptionStats(0));
    }
}
