package io.warmline.bridge.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the real-peer tests find their tools and data, and where they write their files.
 *
 * <p>System properties: {@code warmline.shared} (the shared vectors' parent, set by surefire),
 * {@code warmline.skipPeerTests} ("true" skips these tests; CI never sets it), {@code warmline.sipp.dir} (the
 * scenario directory, default {@code ../sipp} from the module directory).
 */
final class PeerEnvironment {
    static final String LOOPBACK = "127.0.0.1";

    private PeerEnvironment() {}

    /** Skips the calling test class when the developer asked for it; never skips silently otherwise. */
    static void assumePeerTestsEnabled() {
        Assumptions.assumeFalse(Boolean.getBoolean("warmline.skipPeerTests"),
                "peer tests skipped by -DskipPeerTests (warmline.skipPeerTests=true)");
    }

    static Path sippDir() {
        Path dir = Path.of(System.getProperty("warmline.sipp.dir", "../sipp")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("uac-pcap.xml"))) {
            throw new IllegalStateException("SIPp scenarios not found in " + dir + " (set warmline.sipp.dir)");
        }
        return dir;
    }

    static Path shared() {
        String shared = System.getProperty("warmline.shared");
        if (shared == null) {
            throw new IllegalStateException("system property warmline.shared is not set (surefire sets it)");
        }
        return Path.of(shared).toAbsolutePath().normalize();
    }

    static Path pcap() {
        Path pcap = shared().resolve("vectors/sipp-pcap/g711a.pcap");
        if (!Files.isRegularFile(pcap)) {
            throw new IllegalStateException("missing test vector " + pcap);
        }
        return pcap;
    }

    static Path rfc4475Dir() {
        return shared().resolve("vectors/rfc4475");
    }

    /** A fresh directory under target/peer-tests for one test's files (kept after the run for diagnosis). */
    static Path workDir(String name) {
        Path dir = Path.of("target", "peer-tests", name).toAbsolutePath();
        try {
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + dir, e);
        }
    }
}
