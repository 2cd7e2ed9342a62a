import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who had the cores while Warmline's event loops waited for one. Reads the text of
 * {@code perf script -F comm,pid,tid,cpu,time,event,trace} over a {@code perf sched record -a} of a load run: each
 * loop thread's wait from becoming runnable (sched_waking, or switched out while runnable) to running
 * (sched_switch), and, for the waits longer than a threshold, what ran on every core meanwhile, grouped as
 * Warmline's loops, its GC/VM, JIT and other threads, SIPp, and everything else by thread name.
 *
 *   java sipp/bench/SchedWaits.java SCRIPT.txt WARMLINE_PID [THRESHOLD_MS]
 */
public final class SchedWaits {

    private static final Pattern LINE =
            Pattern.compile("^\\s*(.+?)\\s+(\\d+)/(\\d+)\\s+\\[(\\d+)\\]\\s+([\\d.]+):\\s+sched:(\\w+):\\s*(.*)$");
    private static final Pattern SWITCH = Pattern.compile(
            "prev_comm=(.*?) prev_pid=(\\d+) prev_prio=\\d+ prev_state=(\\S+) ==> next_comm=(.*?) next_pid=(\\d+)");
    private static final Pattern WAKING = Pattern.compile("comm=(.*?) pid=(\\d+)");

    record Run(int cpu, int tid, double start, double end) {}

    record Wait(int tid, double start, double end) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: SchedWaits SCRIPT.txt WARMLINE_PID [THRESHOLD_MS]");
            System.exit(2);
        }
        int warmline = Integer.parseInt(args[1]);
        double threshold = args.length > 2 ? Double.parseDouble(args[2]) : 5.0;
        Map<Integer, Integer> process = new HashMap<>();
        Map<Integer, String> names = new HashMap<>();
        Map<Integer, int[]> running = new HashMap<>(); // cpu -> {tid}
        Map<Integer, Double> since = new HashMap<>();
        Map<Integer, Double> runnable = new HashMap<>();
        List<Run> runs = new ArrayList<>();
        List<Wait> waits = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]))) {
            for (String line; (line = in.readLine()) != null; ) {
                Matcher m = LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                int pid = Integer.parseInt(m.group(2));
                int tid = Integer.parseInt(m.group(3));
                int cpu = Integer.parseInt(m.group(4));
                double t = Double.parseDouble(m.group(5));
                process.put(tid, pid);
                names.putIfAbsent(tid, m.group(1));
                if (m.group(6).equals("sched_switch")) {
                    Matcher f = SWITCH.matcher(m.group(7));
                    if (!f.find()) {
                        continue;
                    }
                    int prev = Integer.parseInt(f.group(2));
                    int next = Integer.parseInt(f.group(5));
                    names.put(prev, f.group(1));
                    names.put(next, f.group(4));
                    int[] cur = running.get(cpu);
                    if (cur != null) {
                        runs.add(new Run(cpu, cur[0], since.get(cpu), t));
                    }
                    running.put(cpu, new int[] {next});
                    since.put(cpu, t);
                    if (f.group(3).startsWith("R")) {
                        runnable.putIfAbsent(prev, t);
                    }
                    Double s = runnable.remove(next);
                    if (s != null) {
                        waits.add(new Wait(next, s, t));
                    }
                } else if (m.group(6).equals("sched_waking")) {
                    Matcher f = WAKING.matcher(m.group(7));
                    if (f.find()) {
                        runnable.putIfAbsent(Integer.parseInt(f.group(2)), t);
                    }
                }
            }
        }
        Set<Integer> loops = new HashSet<>();
        process.forEach((tid, pid) -> {
            if (pid == warmline && names.getOrDefault(tid, "").startsWith("warmline-call")) {
                loops.add(tid);
            }
        });
        List<Double> lat = new ArrayList<>();
        for (Wait w : waits) {
            if (loops.contains(w.tid())) {
                lat.add((w.end() - w.start()) * 1000);
            }
        }
        if (lat.isEmpty()) {
            System.out.println("no event-loop thread of process " + warmline + " in the recording");
            return;
        }
        lat.sort(null);
        long over = lat.stream().filter(x -> x > threshold).count();
        System.out.printf("loop threads runnable -> running: %d times, median %.2f ms, p99 %.2f ms, p99.9 %.2f ms,"
                + " longest %.1f ms; %d waits over %.0f ms%n", lat.size(), lat.get(lat.size() / 2),
                lat.get((int) (lat.size() * 0.99)), lat.get((int) (lat.size() * 0.999)), lat.get(lat.size() - 1),
                over, threshold);
        runs.sort(Comparator.comparingDouble(Run::start));
        double longest = runs.stream().mapToDouble(r -> r.end() - r.start()).max().orElse(0);
        double[] starts = runs.stream().mapToDouble(Run::start).toArray();
        Map<String, Double> during = new TreeMap<>();
        double total = 0;
        for (Wait w : waits) {
            if (!loops.contains(w.tid()) || (w.end() - w.start()) * 1000 <= threshold) {
                continue;
            }
            int i = lowerBound(starts, w.start() - longest);
            for (; i < runs.size() && runs.get(i).start() <= w.end(); i++) {
                Run r = runs.get(i);
                double o = Math.min(r.end(), w.end()) - Math.max(r.start(), w.start());
                if (o > 0) {
                    during.merge(group(r.tid(), warmline, process, names), o * 1000, Double::sum);
                    total += o * 1000;
                }
            }
        }
        System.out.printf("what ran on the cores while a loop thread waited over %.0f ms:%n", threshold);
        print(during, total);
        Map<String, Double> all = new TreeMap<>();
        double sum = 0;
        for (Run r : runs) {
            all.merge(group(r.tid(), warmline, process, names), (r.end() - r.start()) * 1000, Double::sum);
            sum += (r.end() - r.start()) * 1000;
        }
        System.out.println("the whole recording, share of all cores:");
        print(all, sum);
    }

    private static void print(Map<String, Double> ms, double total) {
        ms.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("  %-36s %9.1f ms %5.1f %%%n", e.getKey(), e.getValue(),
                        100 * e.getValue() / total));
    }

    private static String group(int tid, int warmline, Map<Integer, Integer> process, Map<Integer, String> names) {
        String name = names.getOrDefault(tid, "?");
        if (tid == 0) {
            return "idle";
        }
        if (process.getOrDefault(tid, -1) == warmline) {
            if (name.startsWith("warmline-call")) {
                return "Warmline event loops";
            }
            if (name.startsWith("GC Thread") || name.startsWith("G1") || name.startsWith("Z") || name.startsWith("VM")) {
                return "Warmline GC and VM threads";
            }
            if (name.contains("Compiler")) {
                return "Warmline JIT";
            }
            return "Warmline other threads";
        }
        if (name.equals("sipp")) {
            return "SIPp";
        }
        String base = name.replaceAll("[-#/:\\d ]+$", "");
        if (base.startsWith("C1 Compiler") || base.startsWith("C2 Compiler")) {
            return "other processes: JIT compiler threads";
        }
        return "other processes: " + base;
    }

    private static int lowerBound(double[] a, double v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
