package io.warmline.webrtc.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
