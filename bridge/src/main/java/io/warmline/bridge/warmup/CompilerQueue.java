package io.warmline.bridge.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JIT's backlog, read through the {@code Compiler.queue} diagnostic command (the DiagnosticCommand MBean) and the
 * compilation MXBean: lets start-up wait until what a warm-up made hot has been compiled. HotSpot only; elsewhere
 * the backlog reads as unknown and only the compile-time clock is used.
 */
final class CompilerQueue {

    private static final ObjectName DIAGNOSTIC = diagnosticName();
    private static final long POLL_MILLIS = 100;

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();

    /** Milliseconds the compiler threads have spent compiling since the JVM started; -1 when not reported. */
    long totalCompileMillis() {
        return compilation != null && compilation.isCompilationTimeMonitoringSupported()
                ? compilation.getTotalCompilationTime() : -1;
    }

    /**
     * Methods being compiled or waiting in a compile queue, counted from {@code Compiler.queue}'s listing (one line
     * per task, each naming {@code Class::method}); -1 when the command is not available.
     */
    int backlog() {
        if (DIAGNOSTIC == null) {
            return -1;
        }
        try {
            Object out = server.invoke(DIAGNOSTIC, "compilerQueue", new Object[] {null},
                    new String[] {String[].class.getName()});
            return count(String.valueOf(out));
        } catch (JMException | RuntimeException e) {
            return -1;
        }
    }

    static int count(String listing) {
        int tasks = 0;
        for (String line : listing.split("\n")) {
            if (line.contains("::")) {
                tasks++;
            }
        }
        return tasks;
    }

    /**
     * Waits until the compilers are idle: no task queued or running (where the backlog can be read) and no compile
     * time added for {@code quiet}, polled every 100 ms (the JIT signals nothing), for at most {@code cap}.
     *
     * @return whether they went idle within the cap
     */
    boolean awaitIdle(Duration quiet, Duration cap) throws InterruptedException {
        long deadline = System.nanoTime() + cap.toNanos();
        long lastTime = totalCompileMillis();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
            long t = totalCompileMillis();
            int queued = backlog();
            long now = System.nanoTime();
            if (t != lastTime || queued > 0) {
                lastTime = t;
                quietSince = now;
            } else if (now - quietSince >= quiet.toNanos()) {
                return true;
            }
        }
        return false;
    }

    private static ObjectName diagnosticName() {
        try {
            ObjectName name = new ObjectName("com.sun.management:type=DiagnosticCommand");
            return ManagementFactory.getPlatformMBeanServer().isRegistered(name) ? name : null;
        } catch (JMException e) {
            return null;
        }
    }
}
