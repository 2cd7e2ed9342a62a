import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Attributes the media bridges' late ticks in a JFR recording of a load run. Every io.warmline.LateTick event (one
 * per tick that started more than 10 ms after its deadline) has a gap, from its deadline to its start. Late ticks
 * whose gaps overlap on one loop thread are one stall; each stall gets one cause, checked in this order:
 *
 *   gc        a GC pause (jdk.GCPhasePause) covers at least half of the stall's gap beyond 10 ms
 *   safepoint a safepoint of 10 ms or more (jdk.SafepointBegin) does
 *   busy      the loop's thread ran (CPU time) at least half of the wall time since the bridge's previous wake-up:
 *             the loop was doing other work (other bridges' ticks, sockets, signalling)
 *   cpu-wait  otherwise: the thread was runnable and waited for a core (other processes, GC or compiler threads)
 *
 * It prints the stalls, a count per cause, and the distribution of GC pauses over the whole recording.
 *
 *   java sipp/bench/Stalls.java RECORDING.jfr
 */
public final class Stalls {

    private static final long LATE_NANOS = 10_000_000L;

    record Span(Instant start, Instant end, String what) {}

    record Late(String thread, Instant deadline, Instant start, long latenessNanos, long sinceWake, long loopCpu,
            int due, long skipped) {}

    static final class Stall {
        final String thread;
        Instant from;
        Instant to;
        long worst;
        int ticks;
        long sinceWake;
        long loopCpu;
        String cause;
        String detail = "";

        Stall(Late l) {
            thread = l.thread();
            from = l.deadline();
            to = l.start();
            add(l);
        }

        void add(Late l) {
            if (l.start().isAfter(to)) {
                to = l.start();
            }
            if (l.latenessNanos() > worst) {
                worst = l.latenessNanos();
                sinceWake = l.sinceWake();
                loopCpu = l.loopCpu();
            }
            ticks++;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Stalls RECORDING.jfr");
            System.exit(2);
        }
        List<Late> lates = new ArrayList<>();
        List<Span> pauses = new ArrayList<>();
        List<Span> safepoints = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[0]))) {
            switch (e.getEventType().getName()) {
                case "io.warmline.LateTick" -> {
                    long lateness = e.getLong("lateness");
                    String thread = e.getThread() != null ? e.getThread().getJavaName() : "?";
                    lates.add(new Late(thread, e.getStartTime().minusNanos(lateness), e.getStartTime(), lateness,
                            e.getLong("sincePreviousWake"), e.getLong("loopCpuSincePreviousWake"),
                            e.getInt("ticksDue"), e.getLong("skipped")));
                }
                case "jdk.GCPhasePause" -> pauses.add(new Span(e.getStartTime(), e.getEndTime(), e.getString("name")));
                case "jdk.SafepointBegin" -> safepoints.add(new Span(e.getStartTime(), e.getEndTime(), "safepoint"));
                default -> { }
            }
        }
        lates.sort(Comparator.comparing(Late::thread).thenComparing(Late::deadline));
        List<Stall> stalls = new ArrayList<>();
        Stall open = null;
        for (Late l : lates) {
            if (open != null && open.thread.equals(l.thread()) && !l.deadline().isAfter(open.to)) {
                open.add(l);
            } else {
                open = new Stall(l);
                stalls.add(open);
            }
        }
        Map<String, Integer> causes = new TreeMap<>();
        Map<String, Long> causeTicks = new TreeMap<>();
        for (Stall s : stalls) {
            // only what pushed the tick past the late threshold needs explaining
            long excess = Math.max(1, Duration.between(s.from, s.to).toNanos() - LATE_NANOS);
            long gc = overlap(pauses, s.from, s.to);
            long sp = overlap(safepoints, s.from, s.to);
            if (2 * gc >= excess) {
                s.cause = "gc";
                s.detail = String.format("GC paused %.1f ms of it", gc / 1e6);
            } else if (2 * sp >= excess) {
                s.cause = "safepoint";
                s.detail = String.format("safepoints %.1f ms of it", sp / 1e6);
            } else if (s.sinceWake > 0 && 2 * s.loopCpu >= s.sinceWake) {
                s.cause = "busy";
            } else {
                s.cause = "cpu-wait";
            }
            if (s.sinceWake > 0) {
                s.detail += String.format("%sloop ran %.1f of %.1f ms since the previous wake-up",
                        s.detail.isEmpty() ? "" : "; ", s.loopCpu / 1e6, s.sinceWake / 1e6);
            }
            if (gc > 0 && !"gc".equals(s.cause)) {
                s.detail += String.format("; GC %.1f ms", gc / 1e6);
            }
            causes.merge(s.cause, 1, Integer::sum);
            causeTicks.merge(s.cause, (long) s.ticks, Long::sum);
        }
        stalls.sort(Comparator.comparing((Stall s) -> s.from));
        System.out.printf("late ticks: %d in %d stalls (late ticks overlapping on one loop thread)%n", lates.size(),
                stalls.size());
        for (Stall s : stalls) {
            System.out.printf("  %s %-16s worst %5.1f ms, %3d late ticks: %-9s %s%n", s.from, s.thread, s.worst / 1e6,
                    s.ticks, s.cause, s.detail);
        }
        System.out.print("stalls by cause:");
        causes.forEach((c, n) -> System.out.printf(" %s %d (%d late ticks)", c, n, causeTicks.get(c)));
        System.out.println();
        List<Long> p = new ArrayList<>();
        for (Span s : pauses) {
            p.add(Duration.between(s.start(), s.end()).toNanos());
        }
        p.sort(null);
        if (!p.isEmpty()) {
            long total = p.stream().mapToLong(Long::longValue).sum();
            Duration span = Duration.between(pauses.get(0).start(), pauses.get(pauses.size() - 1).end());
            System.out.printf("GC pauses: %d, median %.1f ms, p90 %.1f ms, max %.1f ms, total %.0f ms (%.2f %% of %.0f s)%n",
                    p.size(), p.get(p.size() / 2) / 1e6, p.get(p.size() * 9 / 10) / 1e6, p.get(p.size() - 1) / 1e6,
                    total / 1e6, 100.0 * total / Math.max(1, span.toNanos()), span.toNanos() / 1e9);
        }
        System.out.printf("safepoints of 10 ms or more: %d%n", safepoints.size());
    }

    /** Nanoseconds of [from, to] covered by the spans (spans do not overlap each other). */
    private static long overlap(List<Span> spans, Instant from, Instant to) {
        long sum = 0;
        for (Span s : spans) {
            Instant a = s.start().isAfter(from) ? s.start() : from;
            Instant b = s.end().isBefore(to) ? s.end() : to;
            if (b.isAfter(a)) {
                sum += Duration.between(a, b).toNanos();
            }
        }
        return sum;
    }
}
