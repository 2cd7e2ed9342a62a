package io.warmline.media.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation ({@code -prof io.warmline.media.bench.CpuTimeProfiler}), next to JMH's wall-clock score. On
 * a shared machine the wall-clock time of an operation includes the time its thread waited for a core; CPU time does
 * not. {@code cpu.worker} is the benchmark threads' CPU time; {@code cpu.process} the whole JVM's (adds the garbage
 * collector's work for what the operation allocated, and the JIT's, which is small after warm-up).
 */
public final class CpuTimeProfiler implements InternalProfiler {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private Map<Long, Long> workersBefore = Map.of();
    private long processBefore;

    @Override
    public String getDescription() {
        return "CPU time per operation (benchmark threads, and the whole JVM)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        workersBefore = workerCpu();
        processBefore = os.getProcessCpuTime();
    }

    @Override
    public List<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                 IterationResult result) {
        long process = os.getProcessCpuTime() - processBefore;
        long workers = 0;
        for (Map.Entry<Long, Long> e : workerCpu().entrySet()) {
            workers += e.getValue() - workersBefore.getOrDefault(e.getKey(), 0L);
        }
        double ops = Math.max(1, result.getMetadata().getAllOps());
        double unit = result.getScoreUnit().startsWith("ns") ? 1 : 1e3;
        String unitName = result.getScoreUnit().startsWith("ns") ? "ns/op" : "us/op";
        return List.of(
                new ScalarResult("cpu.worker", workers / unit / ops, unitName, AggregationPolicy.AVG),
                new ScalarResult("cpu.process", process / unit / ops, unitName, AggregationPolicy.AVG));
    }

    private Map<Long, Long> workerCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains("jmh-worker")) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), t);
                }
            }
        }
        return cpu;
    }
}
