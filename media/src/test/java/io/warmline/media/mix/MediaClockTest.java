package io.warmline.media.mix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.time.ManualClock;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MediaClockTest {

    private static final long MS = 1_000_000L;

    @Test
    void firstTickIsDueAtOnceThenEvery20Ms() {
        ManualClock clock = new ManualClock(5_000 * MS);
        MediaClock media = new MediaClock(clock);
        assertEquals(5_000 * MS, media.nextDeadline());
        assertEquals(1, media.ticksDue(clock.nanoTime()));
        assertEquals(0, media.ticksDue(clock.nanoTime()));
        assertEquals(5_020 * MS, media.nextDeadline());
        assertEquals(0, media.ticksDue(clock.advanceMillis(19)));
        assertEquals(MS, media.delayUntilNext(clock.nanoTime()));
        assertEquals(1, media.ticksDue(clock.advanceMillis(1)));
        assertEquals(5_040 * MS, media.nextDeadline());
    }

    @Test
    void lateWakeUpsDoNotDrift() {
        ManualClock clock = new ManualClock();
        MediaClock media = new MediaClock(clock);
        Random random = new Random(7);
        long total = 0;
        // An event loop that wakes up 0..15 ms late each time, for 10 minutes of fake time.
        while (clock.nanoTime() < 600_000 * MS) {
            total += media.ticksDue(clock.nanoTime());
            long wake = media.nextDeadline() + random.nextInt(15) * MS;
            clock.advanceNanos(wake - clock.nanoTime());
        }
        long expected = clock.nanoTime() / (20 * MS) + 1;
        assertTrue(Math.abs(total - expected) <= 1, "ticks " + total + " expected " + expected);
        assertEquals(0, media.skippedTicks());
        assertEquals(total, media.ticks());
    }

    @Test
    void aPauseIsCaughtUpWithABoundedBurstAndTheRestSkipped() {
        ManualClock clock = new ManualClock();
        MediaClock media = new MediaClock(0, 20 * MS, 3);
        assertEquals(1, media.ticksDue(0));
        // A 1 s stall: 50 ticks fell due; 3 run now, 47 are skipped.
        assertEquals(3, media.ticksDue(clock.advanceMillis(1000)));
        assertEquals(47, media.skippedTicks());
        assertEquals(0, media.ticksDue(clock.nanoTime()));
        // The grid did not move: the next tick is at 1020 ms, not 20 ms after the wake-up.
        assertEquals(1020 * MS, media.nextDeadline());
        assertEquals(1, media.ticksDue(clock.advanceMillis(20)));
        // A short stall (to 1070 ms: the ticks of 1040 and 1060 are due) is caught up completely.
        assertEquals(2, media.ticksDue(clock.advanceMillis(50)));
        assertEquals(47, media.skippedTicks());
        assertEquals(1 + 3 + 1 + 2, media.ticks());
        assertEquals(media.ticks() + media.skippedTicks(), clock.nanoTime() / (20 * MS) + 1,
                "run + skipped = every grid point passed");
    }

    @Test
    void aClockBeforeTheFirstDeadlineGivesNothing() {
        MediaClock media = new MediaClock(100 * MS, 20 * MS, 2);
        assertEquals(0, media.ticksDue(50 * MS));
        assertEquals(50 * MS, media.delayUntilNext(50 * MS));
        assertThrows(IllegalArgumentException.class, () -> new MediaClock(0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new MediaClock(0, 20 * MS, 0));
    }
}
