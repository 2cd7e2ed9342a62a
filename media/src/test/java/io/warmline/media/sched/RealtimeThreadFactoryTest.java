package io.warmline.media.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.warmline.media.testing.Tools;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RealtimeThreadFactoryTest {
    private static final int CAP_SETPCAP = 8;
    private static final int CAP_SYS_NICE = 23;
    private static final int PRIORITY = 7;

    @Test
    void priorityZeroIsTheDelegateAndOutOfRangeIsRefused() {
        ThreadFactory plain = Thread::new;
        assertSame(plain, RealtimeThreadFactory.wrap(plain, 0));
        assertEquals(PRIORITY, ((RealtimeThreadFactory) RealtimeThreadFactory.wrap(plain, PRIORITY)).priority());
        assertThrows(IllegalArgumentException.class, () -> new RealtimeThreadFactory(plain, 0));
        assertThrows(IllegalArgumentException.class, () -> new RealtimeThreadFactory(plain, 100));
        assertThrows(IllegalArgumentException.class, () -> RealtimeThreadFactory.wrap(plain, -1));
    }

    @Test
    void threadsRunSchedRrAtThePriorityAsChrtSeesThemAndTheThreadsTheyStartDoNot() throws Exception {
        assumeTrue(Permission.realtimeAllowed(PRIORITY), "SCHED_RR not permitted here (chrt -r " + PRIORITY
                + " fails: no CAP_SYS_NICE in the host's namespace and RLIMIT_RTPRIO below " + PRIORITY + ")");
        CompletableFuture<Integer> mediaTid = new CompletableFuture<>();
        CompletableFuture<Integer> childTid = new CompletableFuture<>();
        CountDownLatch release = new CountDownLatch(1);
        ThreadFactory factory = new RealtimeThreadFactory(r -> new Thread(r, "media-test"), PRIORITY);
        Thread media = factory.newThread(() -> {
            try {
                mediaTid.complete(ProcThread.tid());
                Thread started = new Thread(() -> {
                    try {
                        childTid.complete(ProcThread.tid());
                        release.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        childTid.completeExceptionally(e);
                    }
                }, "started-by-media");
                started.start();
                release.await(30, TimeUnit.SECONDS);
                started.join(30_000);
            } catch (Exception e) {
                mediaTid.completeExceptionally(e);
            }
        });
        media.start();
        try {
            String rr = chrt(mediaTid.get(10, TimeUnit.SECONDS));
            assertTrue(rr.contains("scheduling policy: SCHED_RR"), rr);
            assertTrue(rr.contains("scheduling priority: " + PRIORITY + "\n"), rr);
            String normal = chrt(childTid.get(10, TimeUnit.SECONDS));
            assertTrue(normal.contains("scheduling policy: SCHED_OTHER"), normal);
            assertTrue(normal.contains("scheduling priority: 0\n"), normal);
        } finally {
            release.countDown();
            media.join(30_000);
        }
    }

    @Test
    void withoutPermissionThreadsRunNormallyAndOneWarningIsLogged() throws Exception {
        // A child JVM with RLIMIT_RTPRIO 0 and, when this one has it, CAP_SYS_NICE dropped from its bounding set:
        // sched_setscheduler fails there with EPERM, as for an operator who granted nothing.
        List<String> command = new ArrayList<>(List.of("prlimit", "--rtprio=0"));
        if (Permission.hasCapability(CAP_SYS_NICE)) {
            assumeTrue(Permission.hasCapability(CAP_SETPCAP), "cannot drop CAP_SYS_NICE for the child JVM: no"
                    + " CAP_SETPCAP to change its bounding set");
            command.addAll(List.of("setpriv", "--bounding-set=-sys_nice", "--inh-caps=-sys_nice", "--"));
        }
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dslf4j.provider=" + StdoutLogProvider.class.getName(), "-cp",
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                RealtimeChild.class.getName(), String.valueOf(PRIORITY)));
        String output = Tools.run(command);
        assertTrue(output.contains("ran [0 0, 0 0, 0 0]"), output);
        assertTrue(output.lines().noneMatch(l -> l.startsWith("INFO")), output);
        List<String> warnings = output.lines().filter(l -> l.startsWith("WARN")).toList();
        assertEquals(1, warnings.size(), output);
        assertTrue(warnings.get(0).contains("media.realtime-priority " + PRIORITY), output);
        assertTrue(warnings.get(0).contains("EPERM"), output);
        assertTrue(warnings.get(0).contains("RLIMIT_RTPRIO"), output);
    }

    private static String chrt(int tid) throws IOException, InterruptedException {
        return Tools.run(List.of("chrt", "-p", String.valueOf(tid)));
    }

    /** What this process may do with scheduling (sched(7)), from /proc/self and a probe. */
    private static final class Permission {
        /** A child that tries tells: in a user namespace CAP_SYS_NICE shows but does not reach the scheduler. */
        static boolean realtimeAllowed(int priority) throws IOException, InterruptedException {
            Process p = new ProcessBuilder("chrt", "-r", String.valueOf(priority), "true").redirectErrorStream(true)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        }

        static boolean hasCapability(int bit) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new BigInteger(line.substring(7).trim(), 16).testBit(bit);
                }
            }
            return false;
        }
    }
}
