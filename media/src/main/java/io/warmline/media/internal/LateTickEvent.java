package io.warmline.media.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * A bridge tick that started more than the late threshold after its deadline, as a JFR event, so that a recording
 * puts it on the same timeline as GC pauses, safepoints and the loop's other work. Its start time is the tick's
 * start; its duration is that tick's own run. Costs nothing when no recording enables it.
 *
 * <p>The loop's CPU time since the bridge's previous wake-up tells the causes apart: close to the wall time means the
 * loop was busy with other work; far below it, with no GC pause or safepoint in the gap, means the loop's thread was
 * runnable but waited for a core.
 */
@Name("io.warmline.LateTick")
@Label("Late media tick")
@Category({"Warmline", "Media"})
@Description("A bridge tick that started late")
public final class LateTickEvent extends jdk.jfr.Event {

    /** Asked for {@link #isEnabled()} only, never committed: answers without initialising JFR when it is off. */
    private static final LateTickEvent PROBE = new LateTickEvent();

    /** Whether a recording takes these events; the bridge reads the loop's CPU time only then. */
    public static boolean recording() {
        return PROBE.isEnabled();
    }

    /** CPU time of the calling thread, or -1 when the JVM cannot tell. */
    public static long threadCpuNanos() {
        ThreadMXBean threads = Threads.BEAN;
        return threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    }

    /** Loaded on the first use in a recording (the management classes take a while to load). */
    private static final class Threads {
        static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();
    }

    @Label("Lateness")
    @Timespan(Timespan.NANOSECONDS)
    public long lateness;

    @Label("Ticks due at this wake-up")
    public int ticksDue;

    @Label("Ticks skipped at this wake-up")
    public long skipped;

    @Label("Legs")
    public int legs;

    @Label("Wall time since the bridge's previous wake-up")
    @Timespan(Timespan.NANOSECONDS)
    public long sincePreviousWake;

    @Label("Loop thread CPU time since the bridge's previous wake-up")
    @Timespan(Timespan.NANOSECONDS)
    public long loopCpuSincePreviousWake;
}
