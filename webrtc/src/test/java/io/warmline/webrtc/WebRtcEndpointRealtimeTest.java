package io.warmline.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The port's own loop takes the operator's real-time priority, as the kernel reports it to {@code chrt}. */
class WebRtcEndpointRealtimeTest {
    private static final int PRIORITY = 4;

    @Test
    void thePortLoopRunsSchedRrAtTheGivenPriority() throws Exception {
        assumeTrue(realtimeAllowed(PRIORITY), "SCHED_RR not permitted here (chrt -r " + PRIORITY + " fails: no"
                + " CAP_SYS_NICE in the host's namespace and RLIMIT_RTPRIO below " + PRIORITY + ")");
        assertEquals(List.of("SCHED_RR|SCHED_RESET_ON_FORK " + PRIORITY), portLoopPolicies(PRIORITY));
    }

    @Test
    void priorityZeroLeavesThePortLoopNormal() throws Exception {
        assertEquals(List.of("SCHED_OTHER 0"), portLoopPolicies(0));
    }

    /** {@code policy priority} of each port loop thread the endpoint started, read with chrt while it runs. */
    private static List<String> portLoopPolicies(int priority) throws Exception {
        Set<String> before = portThreads();
        WebRtcEndpoint own = WebRtcEndpoint.startOnOwnLoop(
                WebRtcEndpointOptions.on(List.of(InetAddress.getLoopbackAddress())), priority);
        try {
            Set<String> started = portThreads();
            started.removeAll(before);
            assertEquals(1, started.size(), "port loop threads started: " + started);
            return started.stream().map(WebRtcEndpointRealtimeTest::chrt).toList();
        } finally {
            own.close();
        }
    }

    private static Set<String> portThreads() throws IOException {
        Set<String> tids = new HashSet<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("webrtc-port")) {
                        tids.add(task.getFileName().toString());
                    }
                } catch (IOException ended) {
                    // the thread ended between listing and reading
                }
            }
        }
        return tids;
    }

    private static String chrt(String tid) {
        try {
            Process p = new ProcessBuilder("chrt", "-p", tid).redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "chrt did not finish");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            String policy = out.replaceAll("(?s).*scheduling policy: (\\S+).*", "$1");
            String prio = out.replaceAll("(?s).*scheduling priority: (\\d+).*", "$1");
            return policy + " " + prio;
        } catch (IOException e) {
            throw new AssertionError("chrt is required by this test (apt-get install util-linux)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whether this process may start a SCHED_RR thread at {@code priority}: a child that tries tells (sched(7)). */
    private static boolean realtimeAllowed(int priority) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("chrt", "-r", String.valueOf(priority), "true").redirectErrorStream(true)
                .start();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
