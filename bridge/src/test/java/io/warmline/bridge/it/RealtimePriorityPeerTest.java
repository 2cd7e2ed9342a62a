package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code media.realtime-priority: 3} in the node's config: after a call, every call loop ({@code warmline-call-*})
 * and the WebRTC port loop run SCHED_RR at 3 and the HTTP loop does not, as {@code chrt -p} reads them from outside
 * the node's JVM.
 */
class RealtimePriorityPeerTest {
    private static final int PRIORITY = 3;

    @Test
    void theMediaLoopsRunSchedRrAndTheOthersDoNot() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        assumeTrue(realtimeAllowed(), "SCHED_RR not permitted here (chrt -r " + PRIORITY + " fails: no CAP_SYS_NICE"
                + " in the host's namespace and RLIMIT_RTPRIO below " + PRIORITY + ")");
        try (PeerNode node = PeerNode.startWithMedia("RealtimePriorityPeerTest", Duration.ofSeconds(2),
                "realtime-priority: " + PRIORITY)) {
            // A call starts the call loop it is pinned to (Netty starts a loop's thread with its first task).
            try (Sipp.Running uas = node.uas("call", "uas-echo.xml").set("conv", "conv-rt").start().awaitListening()) {
                Sipp.Result uac = node.uac("call", "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", "conv-rt")
                        .run();
                assertCallSucceeded(uac, uas.await());
            }
            Map<String, String> policies = policiesByThread(node.process.pid());
            List<String> media = policies.keySet().stream()
                    .filter(n -> n.startsWith("warmline-call") || n.startsWith("webrtc-port")).toList();
            assertTrue(media.stream().anyMatch(n -> n.startsWith("warmline-call")), policies::toString);
            assertEquals(1, media.stream().filter(n -> n.startsWith("webrtc-port")).count(), policies::toString);
            for (String thread : media) {
                assertEquals("SCHED_RR|SCHED_RESET_ON_FORK " + PRIORITY, policies.get(thread),
                        () -> thread + " in " + policies);
            }
            List<String> http = policies.keySet().stream().filter(n -> n.startsWith("warmline-http")).toList();
            assertFalse(http.isEmpty(), policies::toString);
            for (String thread : http) {
                assertEquals("SCHED_OTHER 0", policies.get(thread), () -> thread + " in " + policies);
            }
            assertTrue(node.process.output().await(l -> l.contains("media threads run SCHED_RR at priority " + PRIORITY),
                    Duration.ofSeconds(2)), () -> node.process.output().tail(30));
        }
    }

    /** {@code comm (tid)} to {@code policy priority} as chrt reports them, for every thread of {@code pid}. */
    private static Map<String, String> policiesByThread(long pid) throws IOException, InterruptedException {
        Map<String, String> policies = new TreeMap<>();
        List<Path> tasks;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks = s.toList();
        }
        for (Path task : tasks) {
            String comm;
            try {
                comm = Files.readString(task.resolve("comm")).trim();
            } catch (IOException ended) {
                continue;
            }
            String out = run(List.of("chrt", "-p", task.getFileName().toString()));
            if (out == null) {
                continue;
            }
            policies.put(comm + " (" + task.getFileName() + ")",
                    out.replaceAll("(?s).*scheduling policy: (\\S+).*", "$1") + " "
                            + out.replaceAll("(?s).*scheduling priority: (\\d+).*", "$1"));
        }
        return policies;
    }

    private static boolean realtimeAllowed() throws IOException, InterruptedException {
        return run(List.of("chrt", "-r", String.valueOf(PRIORITY), "true")) != null;
    }

    /** The command's output, or null when it exited non-zero (a thread that ended meanwhile). */
    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), command + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.exitValue() == 0 ? out : null;
    }
}
