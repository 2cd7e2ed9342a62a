package io.warmline.media.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void movesOnlyWhenAdvanced() {
        ManualClock clock = new ManualClock(100);
        assertEquals(100, clock.nanoTime());
        assertEquals(100, clock.nanoTime());
        assertEquals(1_000_100, clock.advanceMillis(1));
        assertEquals(2_001_001_100L, clock.advance(Duration.ofSeconds(2).plusNanos(1000)));
        assertEquals(2_001_001_100L, clock.nanoTime());
    }

    @Test
    void refusesToGoBack() {
        ManualClock clock = new ManualClock();
        assertThrows(IllegalArgumentException.class, () -> clock.advanceNanos(-1));
        assertEquals(0, clock.nanoTime());
    }

    @Test
    void systemClockIsMonotonic() {
        long a = NanoClock.SYSTEM.nanoTime();
        long b = NanoClock.SYSTEM.nanoTime();
        assertTrue(b - a >= 0);
    }
}
