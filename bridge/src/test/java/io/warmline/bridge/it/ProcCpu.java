package io.warmline.bridge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time used so far by processes (user + system), from {@code /proc/<pid>/stat}, in nanoseconds. */
final class ProcCpu {
    /** USER_HZ, the unit of utime and stime: 100 on Linux (sysconf(_SC_CLK_TCK)). */
    private static final long TICK_NANOS = 10_000_000L;

    private ProcCpu() {
    }

    /** The process's CPU time, or -1 when it is gone. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The fields after the command name (which may hold spaces) start after its closing ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of proc(5), here 11 and 12.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The summed CPU time of every live process whose command line contains {@code marker}. */
    static long cpuNanosOfAll(String marker) {
        long sum = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains(marker)) {
                        long n = cpuNanos(Long.parseLong(p.getFileName().toString()));
                        sum += Math.max(0, n);
                    }
                } catch (IOException | RuntimeException e) {
                    // The process ended while being read.
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }
}
