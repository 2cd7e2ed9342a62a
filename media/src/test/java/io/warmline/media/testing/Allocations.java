package io.warmline.media.testing;

import com.sun.management.ThreadMXBean;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/**
 * Measures what code allocates, for the "no allocation in steady state" tests: {@link #allocatedBy} on the calling
 * thread, {@link #steadyStateBytes} on a thread like a media loop's.
 */
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
        return onEventLoopThread(() -> steadyStateBytesHere(work));
    }

    /**
     * Runs {@code measure} on a thread of the kind Netty's event loops run on ({@link FastThreadLocalThread}) and
     * waits for it. Netty 4.2 recycles pooled buffers' objects only on such threads, so on a plain test thread each
     * pooled buffer costs about 100 bytes that it never costs on a media loop.
     */
    private static long onEventLoopThread(java.util.function.LongSupplier measure) {
        long[] result = {-1};
        RuntimeException[] failure = {null};
        Thread t = new FastThreadLocalThread(() -> {
            try {
                result[0] = measure.getAsLong();
            } catch (RuntimeException | Error e) {
                failure[0] = e instanceof RuntimeException r ? r : new IllegalStateException(e);
            }
        }, "allocations");
        t.start();
        try {
            t.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring", e);
        }
        if (t.isAlive()) {
            throw new IllegalStateException("measuring took over 60 s");
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }

    private static long steadyStateBytesHere(Runnable work) {
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
