package io.warmline.sip.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on an underlying executor: the single writer of a leg's
 * signalling state, and the order keeper of its callbacks. A task that throws is logged, never propagated.
 */
public final class Strand implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(Strand.class);

    private final Executor executor;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    public Strand(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.warn("executor refused a task; {} task(s) dropped", tasks.size());
                tasks.clear();
            }
        }
    }

    private void drain() {
        Runnable t;
        int budget = 64;
        while (budget-- > 0 && (t = tasks.poll()) != null) {
            try {
                t.run();
            } catch (Throwable e) {
                LOG.error("task failed", e);
            }
        }
        scheduled.set(false);
        if (!tasks.isEmpty()) {
            schedule();
        }
    }
}
