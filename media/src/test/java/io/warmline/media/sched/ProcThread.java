package io.warmline.media.sched;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The calling thread as the kernel sees it, read from /proc/thread-self (proc(5)). */
final class ProcThread {
    private ProcThread() {}

    /** The kernel's id of the calling thread: /proc/thread-self links to {@code <pid>/task/<tid>}. */
    static int tid() throws IOException {
        Path link = Files.readSymbolicLink(Path.of("/proc/thread-self"));
        return Integer.parseInt(link.getFileName().toString());
    }

    /** {@code policy rt_priority} of the calling thread: fields 41 and 40 of its stat (proc(5)). */
    static String policyAndPriority() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"), StandardCharsets.US_ASCII);
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return f[41 - 3] + " " + f[40 - 3];
    }
}
