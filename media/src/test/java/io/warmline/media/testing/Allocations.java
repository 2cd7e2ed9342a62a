package io.warmline.media.testing;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;

/** Measures what code allocates on the calling thread, for the "no allocation in steady state" tests. */
public final class Allocations {
    private static final int WARM_UP_RUNS = 5;
    private static final int MEASURED_RUNS = 5;

    private Allocations() {}

    /** Bytes the current thread allocates while running {@code work} once. */
    public static long allocatedBy(Runnable work) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    /**
     * Bytes {@code work} allocates once warm: the fewest over several runs after warm-up runs. Noise (the JIT
     * swapping interpreted for compiled code mid-run, a TLAB refill) only ever adds bytes, so the minimum is what the
     * code itself allocates; code that allocates per item allocates in every run and still shows.
     */
    public static long steadyStateBytes(Runnable work) {
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            work.run();
        }
        long least = Long.MAX_VALUE;
        for (int i = 0; i < MEASURED_RUNS; i++) {
            least = Math.min(least, allocatedBy(work));
        }
        return least;
    }
}
