package io.warmline.webrtc.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** CPU time of processes and of the host from {@code /proc}, in clock ticks (USER_HZ, 100 on Linux). */
final class ProcCpu {
    static final double TICKS_PER_SECOND = 100;

    private ProcCpu() {
    }

    /** utime + stime of {@code pid} (all its threads), or -1 when it is gone. */
    static long processTicks(long pid) {
        long[] us = userSystem(pid);
        return us == null ? -1 : us[0] + us[1];
    }

    /** {utime, stime} of {@code pid}, or null when it is gone. */
    static long[] userSystem(long pid) {
        try {
            return parseUserSystem(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Fields 14 and 15 of proc(5)'s stat line; the command in parentheses may hold spaces, so count after ')'. */
    static long[] parseUserSystem(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    /**
     * utime + stime of each live thread of {@code pid}, keyed by thread id, each with its name (comm); a thread that
     * ends while the directory is read is left out.
     */
    static Map<Long, ThreadTicks> threadTicks(long pid) {
        Map<Long, ThreadTicks> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks.limit(10_000).forEach(t -> {
                try {
                    long[] us = parseUserSystem(Files.readString(t.resolve("stat")));
                    String name = Files.readString(t.resolve("comm")).trim();
                    long switches = parseContextSwitches(Files.readString(t.resolve("status")));
                    out.put(Long.parseLong(t.getFileName().toString()),
                            new ThreadTicks(name, us[0] + us[1], switches));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** One thread's name, CPU ticks and context switches (voluntary and not). */
    record ThreadTicks(String name, long ticks, long switches) {
    }

    /** voluntary_ctxt_switches + nonvoluntary_ctxt_switches of a proc(5) status file; -1 when absent. */
    static long parseContextSwitches(String status) {
        long sum = 0;
        int found = 0;
        for (String line : status.split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                found++;
            }
        }
        return found == 2 ? sum : -1;
    }

    /**
     * The ticks, thread count and context switches of each group of threads between two {@link #threadTicks}
     * readings, grouped by name with trailing digits and separators dropped (the JVM numbers its pools: "GC
     * Thread#3"), threads that started meanwhile counted from zero, biggest first.
     */
    static Map<String, long[]> threadGroups(Map<Long, ThreadTicks> before, Map<Long, ThreadTicks> after) {
        Map<String, long[]> groups = new HashMap<>();
        after.forEach((tid, a) -> {
            ThreadTicks b = before.get(tid);
            boolean same = b != null && b.name().equals(a.name());
            long[] g = groups.computeIfAbsent(groupName(a.name()), k -> new long[3]);
            g[0] += Math.max(0, a.ticks() - (same ? b.ticks() : 0));
            g[1]++;
            g[2] += Math.max(0, a.switches() - (same ? b.switches() : 0));
        });
        Map<String, long[]> sorted = new java.util.LinkedHashMap<>();
        groups.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** {ticks, context switches} of each thread of group {@code group} between two readings, by switches. */
    static java.util.List<long[]> threadsOf(String group, Map<Long, ThreadTicks> before,
            Map<Long, ThreadTicks> after) {
        java.util.List<long[]> out = new java.util.ArrayList<>();
        after.forEach((tid, a) -> {
            ThreadTicks b = before.get(tid);
            if (groupName(a.name()).equals(group) && b != null && b.name().equals(a.name())) {
                out.add(new long[] {a.ticks() - b.ticks(), a.switches() - b.switches()});
            }
        });
        out.sort((x, y) -> Long.compare(x[1], y[1]));
        return out;
    }

    static String groupName(String thread) {
        String g = thread.replaceAll("[-_#: ]*[0-9]+$", "");
        return g.isEmpty() ? thread : g;
    }

    /** Ticks all cores were busy (user, nice, system, irq, softirq, steal) from {@code /proc/stat}. */
    static long hostBusyTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3])
                            + Long.parseLong(f[6]) + Long.parseLong(f[7]) + Long.parseLong(f[8]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
