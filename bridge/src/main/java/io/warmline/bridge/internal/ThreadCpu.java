package io.warmline.bridge.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** The calling thread's CPU time, for diagnostics that say how much of a step's wall time was work. */
public final class ThreadCpu {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = MX.isCurrentThreadCpuTimeSupported();

    private ThreadCpu() {
    }

    /** Nanoseconds of CPU the calling thread has used, or 0 where the JVM cannot tell. */
    public static long nanos() {
        return SUPPORTED ? MX.getCurrentThreadCpuTime() : 0;
    }
}
