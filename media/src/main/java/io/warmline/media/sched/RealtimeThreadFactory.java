package io.warmline.media.sched;

import io.warmline.media.sched.internal.LinuxScheduler;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a thread factory so that each thread it makes first puts itself in SCHED_RR at a fixed priority, then runs
 * its task: the operator's {@code media.realtime-priority}, for the threads that run media ticks and packets (the
 * call loops and the WebRTC port loop), so that a 20 ms tick does not wait behind other work on the box (as
 * FreeSWITCH's {@code -rp} and Asterisk's {@code -p} offer). Threads those threads start are normal again
 * (SCHED_RESET_ON_FORK). Where the policy cannot be set (not Linux, no permission, no native library) the thread runs
 * at normal priority and the process logs one warning naming the reason and how to grant it; starting never fails
 * because of it.
 */
public final class RealtimeThreadFactory implements ThreadFactory {
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeThreadFactory.class);
    /** sched(7): the range of SCHED_RR priorities on Linux. */
    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 99;

    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final AtomicBoolean ANNOUNCED = new AtomicBoolean();

    private final ThreadFactory delegate;
    private final int priority;

    /**
     * @param priority SCHED_RR priority, {@value #MIN_PRIORITY}..{@value #MAX_PRIORITY}
     */
    public RealtimeThreadFactory(ThreadFactory delegate, int priority) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("SCHED_RR priority must be 1..99, got " + priority);
        }
        this.priority = priority;
    }

    /** {@code delegate} itself when {@code priority} is 0 (off), else a factory applying that priority. */
    public static ThreadFactory wrap(ThreadFactory delegate, int priority) {
        return priority == 0 ? Objects.requireNonNull(delegate, "delegate")
                : new RealtimeThreadFactory(delegate, priority);
    }

    public int priority() {
        return priority;
    }

    @Override
    public Thread newThread(Runnable task) {
        Objects.requireNonNull(task, "task");
        return delegate.newThread(() -> {
            applyToCurrentThread(priority);
            task.run();
        });
    }

    /**
     * Puts the calling thread in SCHED_RR at {@code priority}. On failure the thread keeps its policy, and the first
     * failure of the process is logged as a warning (the next ones at debug).
     *
     * @return whether the thread now runs SCHED_RR at {@code priority}
     */
    public static boolean applyToCurrentThread(int priority) {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("SCHED_RR priority must be 1..99, got " + priority);
        }
        String os = System.getProperty("os.name", "");
        if (!os.startsWith("Linux")) {
            return failed(priority, "SCHED_RR is set only on Linux (this is " + os + ")");
        }
        int errno;
        try {
            errno = LinuxScheduler.setRoundRobin(priority);
        } catch (LinkageError e) {
            return failed(priority, "the C library could not be called through JNA (" + e + ")");
        }
        if (errno != 0) {
            return failed(priority, "sched_setscheduler(SCHED_RR, " + priority + ") failed with "
                    + LinuxScheduler.errnoName(errno));
        }
        if (ANNOUNCED.compareAndSet(false, true)) {
            LOG.info("media.realtime-priority {}: media threads run SCHED_RR at priority {} (first: {})", priority,
                    priority, Thread.currentThread().getName());
        }
        return true;
    }

    private static boolean failed(int priority, String reason) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("media.realtime-priority {}: {}; media threads run at normal priority. Grant it by running as"
                    + " root, with CAP_SYS_NICE (systemd AmbientCapabilities=CAP_SYS_NICE), or with RLIMIT_RTPRIO of at"
                    + " least {} (ulimit -r {}, systemd LimitRTPRIO={})", priority, reason, priority, priority,
                    priority);
        } else {
            LOG.debug("media.realtime-priority {} not applied to {}: {}", priority, Thread.currentThread().getName(),
                    reason);
        }
        return false;
    }
}
