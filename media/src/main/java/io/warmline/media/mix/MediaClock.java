package io.warmline.media.mix;

import io.warmline.media.time.NanoClock;

/**
 * Sans-IO scheduler of a bridge's 20 ms media ticks. Deadlines sit on a fixed grid {@code origin + n·period}, so the
 * tick rate never drifts against the clock however late the owner wakes up. After a stall (a GC pause, an overloaded
 * event loop) at most {@code maxBurst} overdue ticks are run at once; older ones are skipped and counted, and the
 * grid stays where it was.
 *
 * <p>The owner asks {@link #ticksDue(long)} with the current time, runs that many mixer ticks, and schedules its
 * next wake-up at {@link #nextDeadline()}. Not thread-safe: one event loop owns it.
 */
public final class MediaClock {

    public static final long DEFAULT_PERIOD_NANOS = 20_000_000L;
    public static final int DEFAULT_MAX_BURST = 3;

    private final long origin;
    private final long periodNanos;
    private final int maxBurst;
    /** Index of the next tick on the grid. */
    private long next;
    private long ticked;
    private long skipped;

    /** 20 ms ticks, first one due now, bursts of at most {@value #DEFAULT_MAX_BURST}. */
    public MediaClock(NanoClock clock) {
        this(clock.nanoTime(), DEFAULT_PERIOD_NANOS, DEFAULT_MAX_BURST);
    }

    /**
     * @param firstDeadline when the first tick is due
     * @param maxBurst most ticks returned by one {@link #ticksDue(long)} call (at least 1)
     */
    public MediaClock(long firstDeadline, long periodNanos, int maxBurst) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive: " + periodNanos);
        }
        if (maxBurst < 1) {
            throw new IllegalArgumentException("maxBurst must be at least 1: " + maxBurst);
        }
        this.origin = firstDeadline;
        this.periodNanos = periodNanos;
        this.maxBurst = maxBurst;
    }

    /** When the next tick is due (absolute, same time base as {@code now}). */
    public long nextDeadline() {
        return origin + next * periodNanos;
    }

    /** Nanoseconds from {@code now} until the next tick is due; 0 if it is already due. */
    public long delayUntilNext(long now) {
        return Math.max(0, nextDeadline() - now);
    }

    /**
     * How many ticks to run now. Consumes them: the next call returns only ticks that fell due since. If more than
     * {@code maxBurst} are overdue, the oldest are skipped (see {@link #skippedTicks()}).
     */
    public int ticksDue(long now) {
        long elapsed = now - origin;
        if (elapsed < 0) {
            return 0;
        }
        long due = elapsed / periodNanos + 1 - next;
        if (due <= 0) {
            return 0;
        }
        if (due > maxBurst) {
            skipped += due - maxBurst;
            next += due - maxBurst;
            due = maxBurst;
        }
        next += due;
        ticked += due;
        return (int) due;
    }

    /** Ticks handed out so far. */
    public long ticks() {
        return ticked;
    }

    /** Ticks dropped because they were more than {@code maxBurst} behind. */
    public long skippedTicks() {
        return skipped;
    }

    public long periodNanos() {
        return periodNanos;
    }
}
