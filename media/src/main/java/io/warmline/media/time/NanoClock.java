package io.warmline.media.time;

/**
 * Monotonic nanosecond clock, injected wherever time is read so that tests can drive time by hand (see
 * {@link ManualClock}). Values are only meaningful as differences, like {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface NanoClock {

    /** The process's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
