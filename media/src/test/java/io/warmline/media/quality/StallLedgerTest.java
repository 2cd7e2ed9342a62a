package io.warmline.media.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.jitter.JitterBuffer;
import io.warmline.media.jitter.JitterBufferConfig;
import org.junit.jupiter.api.Test;

/**
 * A real jitter buffer fed in fake time: 20 ms packets, one poll per 20 ms tick. The same late arrival of a burst is
 * the network's doing when our ticks ran on time, and ours when our loop stalled and skipped them.
 */
class StallLedgerTest {

    private static final long MS = 1_000_000L;
    private static final long PERIOD = 20 * MS;
    private static final byte[] PAYLOAD = new byte[40];

    private final JitterBuffer buffer = new JitterBuffer(JitterBufferConfig.voice(48000));
    private final StallLedger ledger = new StallLedger();
    private int seq;
    private long now;

    private void send(long arrival) {
        buffer.offer(7, seq, seq * 960L, seq == 0, PAYLOAD, 0, PAYLOAD.length, arrival);
        seq++;
    }

    private void tick() {
        buffer.poll(now);
        ledger.observe(buffer, now);
        now += PERIOD;
    }

    private void steady(int periods) {
        for (int i = 0; i < periods; i++) {
            send(now);
            tick();
        }
    }

    @Test
    void aBurstAfterOurStallIsOursAndNotTheNetworks() {
        steady(100);
        // Our loop stalls for 30 periods: the overdue ticks are skipped (played out unheard at their deadlines)
        // before the packets that waited in the socket are read.
        int stalled = 30;
        long stallStart = now;
        long wake = now + stalled * PERIOD;
        for (int i = 0; i < stalled; i++) {
            buffer.poll(stallStart + i * PERIOD);
        }
        ledger.onSkipped(stalled, PERIOD, wake);
        now = wake;
        for (int i = 0; i < stalled; i++) {
            send(wake);
        }
        steady(100);

        long drops = buffer.late() + buffer.discarded();
        assertTrue(drops > 0, "the buffer dropped part of the burst");
        assertEquals(drops, ledger.ownDrops());
        assertEquals(drops, ledger.ownDropsInBuffer());
        assertEquals(0, ledger.networkDrops());
        assertEquals(30, ledger.skippedPeriods());
        assertEquals(0, buffer.lost(), "every sequence number arrived");
    }

    @Test
    void theSameBurstWhileOurTicksRanOnTimeIsTheNetworks() {
        steady(100);
        // The network holds 30 packets and then delivers them at once; our ticks run on time throughout.
        int held = 30;
        long release = now + held * PERIOD;
        for (int i = 0; i < held; i++) {
            tick();
        }
        for (int i = 0; i < held; i++) {
            send(release);
        }
        steady(100);

        long drops = buffer.late() + buffer.discarded();
        assertTrue(drops > 0, "the buffer dropped part of the burst");
        assertEquals(drops, ledger.networkDrops());
        assertEquals(0, ledger.ownDrops());
        assertEquals(0, ledger.skippedPeriods());
    }

    @Test
    void dropsLongAfterAStallAreTheNetworksAgain() {
        steady(50);
        ledger.onSkipped(3, PERIOD, now);
        steady(50);
        assertEquals(0, ledger.ownDrops() + ledger.networkDrops(), "a short stall whose packets were read in time");
        // much later the network delays one packet by ten periods: its period has been played, it is late
        int held = seq++;
        steady(10);
        buffer.offer(7, held, held * 960L, false, PAYLOAD, 0, PAYLOAD.length, now);
        tick();
        assertEquals(1, buffer.late());
        assertEquals(1, ledger.networkDrops());
        assertEquals(0, ledger.ownDrops());
    }

    @Test
    void aNewBufferStartsItsOwnCount() {
        steady(20);
        ledger.onSkipped(10, PERIOD, now + 10 * PERIOD);
        JitterBuffer other = new JitterBuffer(JitterBufferConfig.voice(8000));
        ledger.observe(other, now);
        assertEquals(0, ledger.ownDropsInBuffer());
        assertEquals(10, ledger.skippedPeriods());
    }

    @Test
    void aShortStallStillGetsTwoPeriodsToFlush() {
        steady(20);
        ledger.onSkipped(1, PERIOD, now);
        ledger.onSkipped(0, PERIOD, now + 100 * PERIOD);
        assertEquals(1, ledger.skippedPeriods());
    }
}
