package io.warmline.webrtc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace script itself ({@code .ci/netns/exec}), run from inside the test JVM's own namespace (namespaces
 * nest): the command it runs sees loopback and the veth pair only, no route out, and the address it exports; and
 * when the namespace cannot be made it fails with its own exit code and the reason, never running the command nor
 * configuring the network it was started in.
 */
@Tag(TestNamespace.TAG)
class NetnsExecTest {
    private static final Path EXEC = Path.of("..", ".ci", "netns", "exec").toAbsolutePath().normalize();

    record Run(int exit, String out, String err) {}

    @BeforeAll
    static void inside() {
        Assumptions.assumeFalse(Boolean.getBoolean("warmline.skipPeerTests"), "peer tests skipped");
        TestNamespace.require();
    }

    private static Run run(Map<String, String> env, String... command) throws Exception {
        List<String> c = new ArrayList<>(List.of(EXEC.toString()));
        c.addAll(List.of(command));
        ProcessBuilder b = new ProcessBuilder(c);
        b.environment().putAll(env);
        Process p = b.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running after 20 s: " + c);
        }
        return new Run(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    @Test
    void theCommandSeesLoopbackAndTheVethPairOnlyWithNoRouteOut() throws Exception {
        Run r = run(Map.of(), "sh", "-c",
                "echo \"env $WARMLINE_NETNS $WARMLINE_NETNS_RANGE\"; ip -o -4 addr; ip -o link; ip route; ip -6 route");
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertTrue(out.contains("env 198.18.0.1/24 198.18.0.0/24"), out);
        List<String> ipv4 = out.lines().filter(l -> l.contains(" inet ")).toList();
        assertEquals(2, ipv4.size(), out);
        assertTrue(ipv4.stream().anyMatch(l -> l.matches("\\d+: lo +inet 127\\.0\\.0\\.1/8 .*")), out);
        assertTrue(ipv4.stream().anyMatch(l -> l.matches("\\d+: wl0 +inet 198\\.18\\.0\\.1/24 .*")), out);
        assertEquals(3, out.lines().filter(l -> l.matches("\\d+: \\S+: <.*")).count(), "lo, wl0, wl1 only:\n" + out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("default")), "no default route:\n" + out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("198.18.0.0/24 dev wl0")), out);
    }

    @Test
    void whenNoNamespaceCanBeMadeItFailsWithTheReasonAndRunsNothing(@TempDir Path dir) throws Exception {
        // An unshare that fails as it does where user namespaces are disabled.
        Path fake = dir.resolve("unshare");
        Files.writeString(fake, "#!/bin/sh\necho 'unshare: unshare failed: Operation not permitted' >&2\nexit 1\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path marker = dir.resolve("ran");
        Run r = run(Map.of("PATH", dir + ":/usr/sbin:/usr/bin:/sbin:/bin"), "touch", marker.toString());
        assertEquals(97, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("unshare --user --map-root-user --net failed: unshare: unshare failed: "
                + "Operation not permitted"), r.err());
        assertTrue(r.err().contains("-DskipPeerTests"), r.err());
        assertFalse(Files.exists(marker), "the command must not run outside a namespace");
    }

    @Test
    void itConfiguresOnlyAFreshNamespaceNeverTheOneItWasStartedIn(@TempDir Path dir) throws Exception {
        // "--inside" is its own re-entry after unshare; given directly, it must not touch the caller's network.
        Path marker = dir.resolve("ran");
        Run r = run(Map.of(), "--inside", "touch", marker.toString());
        assertEquals(97, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("not a fresh namespace"), r.err());
        assertFalse(Files.exists(marker));
    }
}
