package io.warmline.media.time;

import java.time.Duration;

/**
 * A {@link NanoClock} that only moves when told to, for tests. Thread-safe: a test thread may advance it while an
 * event loop reads it.
 */
public final class ManualClock implements NanoClock {

    private volatile long now;

    public ManualClock() {
        this(0L);
    }

    public ManualClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    public synchronized long advance(Duration step) {
        return advanceNanos(step.toNanos());
    }

    /** Moves the clock forward; a monotonic clock never goes back, so a negative step is refused. */
    public synchronized long advanceNanos(long stepNanos) {
        if (stepNanos < 0) {
            throw new IllegalArgumentException("a monotonic clock cannot go back: " + stepNanos);
        }
        now += stepNanos;
        return now;
    }

    public synchronized long advanceMillis(long stepMillis) {
        return advanceNanos(stepMillis * 1_000_000L);
    }
}
