package io.warmline.bridge.it;

import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Warmline server for one test class with its own config file and free ports, plus the ports of the two SIPp
 * peers around it: the carrier (UAC) calling in, and the support line (UAS) that trunk {@code carrier} dials.
 *
 * <p>Routing: an INVITE from 127.0.0.1 to {@code 1000...} goes to target {@code support}, number 2000 on trunk
 * {@code carrier}, whose outbound address is the UAS. The trunk prefers PCMA, then PCMU (unless a test gives its own
 * list), and answers digest challenges as {@code warmline} with the password from {@code TEST_TRUNK_PASSWORD}.
 */
final class PeerNode implements AutoCloseable {
    static final String TRUNK_USER = "warmline";
    static final String ROUTED_NUMBER = "1000";
    static final String TARGET_NUMBER = "2000";
    static final int RTP_PORTS = 100;

    final Path dir;
    final int sipPort = Ports.sip(LOOPBACK);
    final int httpPort = Ports.sip(LOOPBACK);
    final int webrtcPort = Ports.sip(LOOPBACK);
    final int rtpLow;
    final int rtpHigh;
    final int uasSipPort = Ports.sip(LOOPBACK);
    final int uasMediaPort = Ports.udpBlock(LOOPBACK, 4);
    final int uacSipPort = Ports.sip(LOOPBACK);
    final int uacMediaPort = Ports.udpBlock(LOOPBACK, 4);
    final String trunkPassword = "pw-" + HexFormat.of().formatHex(randomBytes(12));
    /** The API key of {@code api.keys.monitoring} (for {@code /metrics}). */
    final String apiKey = "key-" + HexFormat.of().formatHex(randomBytes(12));
    final WarmlineProcess process;

    private final String supportOptions;
    private final String extraConfig;
    private final String trunkCodecs;
    private final String trunkKeys;
    private final String mediaOptions;

    private PeerNode(String name, Duration drainTime, int rtpPorts, Duration noMediaTimeout)
            throws IOException, InterruptedException {
        this(name, drainTime, rtpPorts, noMediaTimeout, "", dir -> "", "PCMA, PCMU", "");
    }

    private PeerNode(String name, Duration drainTime, int rtpPorts, Duration noMediaTimeout, String supportOptions,
            java.util.function.Function<Path, String> extraConfig, String trunkCodecs, String trunkKeys)
            throws IOException, InterruptedException {
        this(name, drainTime, rtpPorts, noMediaTimeout, supportOptions, extraConfig, trunkCodecs, trunkKeys, "");
    }

    private PeerNode(String name, Duration drainTime, int rtpPorts, Duration noMediaTimeout, String supportOptions,
            java.util.function.Function<Path, String> extraConfig, String trunkCodecs, String trunkKeys,
            String mediaOptions) throws IOException, InterruptedException {
        this.supportOptions = supportOptions;
        this.mediaOptions = mediaOptions;
        this.trunkCodecs = trunkCodecs;
        this.trunkKeys = trunkKeys;
        dir = PeerEnvironment.workDir(name);
        this.extraConfig = extraConfig.apply(dir);
        int low = Ports.udpBlock(LOOPBACK, rtpPorts + 1);
        rtpLow = low % 2 == 0 ? low : low + 1;
        rtpHigh = rtpLow + rtpPorts - 1;
        Path config = dir.resolve("warmline.yaml");
        Files.writeString(config, config(drainTime, noMediaTimeout), StandardCharsets.UTF_8);
        process = WarmlineProcess.start(config, LOOPBACK + ":" + httpPort, Map.of("TEST_TRUNK_PASSWORD", trunkPassword,
                "TEST_API_KEY", apiKey), dir);
    }

    static PeerNode start(String name, Duration drainTime) throws IOException, InterruptedException {
        return new PeerNode(name, drainTime, RTP_PORTS, Duration.ofSeconds(30));
    }

    /**
     * A node with {@code media.rtp-ports} holding exactly {@code rtpPorts} ports (even, at least 4) and the given
     * {@code media.no-media-timeout} (whole seconds).
     */
    static PeerNode start(String name, Duration drainTime, int rtpPorts, Duration noMediaTimeout)
            throws IOException, InterruptedException {
        return new PeerNode(name, drainTime, rtpPorts, noMediaTimeout);
    }

    /** A node whose {@code media} section has the extra keys {@code mediaOptions} (flow-map entries). */
    static PeerNode startWithMedia(String name, Duration drainTime, String mediaOptions)
            throws IOException, InterruptedException {
        return new PeerNode(name, drainTime, RTP_PORTS, Duration.ofSeconds(30), "", dir -> "", "PCMA, PCMU", "",
                mediaOptions);
    }

    /**
     * A node whose target {@code support} has the extra keys {@code supportOptions} (flow-map entries, e.g.
     * {@code "codecs: [opus]"}).
     */
    static PeerNode startWithSupport(String name, Duration drainTime, String supportOptions)
            throws IOException, InterruptedException {
        return new PeerNode(name, drainTime, RTP_PORTS, Duration.ofSeconds(30), supportOptions, dir -> "",
                "PCMA, PCMU", "");
    }

    /**
     * A node as {@link #startWithSupport} with more top-level sections ({@code extraConfig} of the node's work
     * directory, e.g. a {@code recording} section with a directory in it).
     */
    static PeerNode startWithSupport(String name, Duration drainTime, String supportOptions,
            java.util.function.Function<Path, String> extraConfig) throws IOException, InterruptedException {
        return new PeerNode(name, drainTime, RTP_PORTS, Duration.ofSeconds(30), supportOptions, extraConfig,
                "PCMA, PCMU", "");
    }

    /**
     * A node as {@link #startWithSupport(String, Duration, String, java.util.function.Function)} whose trunk
     * {@code carrier} (the one the carrier's calls come in on, and the support line's) has the extra keys
     * {@code trunkKeys} (each one {@code key: value} line of the trunk's block, e.g. {@code "record: true"}).
     */
    static PeerNode startWithTrunkKeys(String name, Duration drainTime, java.util.List<String> trunkKeys,
            java.util.function.Function<Path, String> extraConfig) throws IOException, InterruptedException {
        return new PeerNode(name, drainTime, RTP_PORTS, Duration.ofSeconds(30), "", extraConfig, "PCMA, PCMU",
                trunkKeys.stream().map(k -> "    " + k).collect(java.util.stream.Collectors.joining("\n")));
    }

    /**
     * A node as {@link #startWithSupport(String, Duration, String)} with trunk {@code carrier}'s {@code codecs} list
     * (flow sequence items, e.g. {@code "PCMU, PCMA"}): the order our answers to the carrier prefer.
     */
    static PeerNode startWithTrunkCodecs(String name, Duration drainTime, String supportOptions, String trunkCodecs)
            throws IOException, InterruptedException {
        return new PeerNode(name, drainTime, RTP_PORTS, Duration.ofSeconds(30), supportOptions, dir -> "",
                trunkCodecs, "");
    }

    private String config(Duration drainTime, Duration noMediaTimeout) {
        return """
                node: { advertised-address: 127.0.0.1, drain-time: %ds }
                sip:
                  listen:
                    - { transport: udp, address: "127.0.0.1:%d" }
                    - { transport: tcp, address: "127.0.0.1:%d" }
                http: { listen: "127.0.0.1:%d" }
                webrtc: { port: %d, allowed-peers: [ 127.0.0.0/8, "::1/128" ] }
                media: { rtp-ports: %d-%d, no-media-timeout: %ds, latch-window: 2s, warm-up-seconds: 0%s }
                trunks:
                  carrier:
                    outbound: { address: "127.0.0.1:%d", transport: udp }
                    auth: { username: %s, password-env: TEST_TRUNK_PASSWORD }
                    codecs: [%s]
                    ring-timeout: 10s
                    inbound: { allow: [127.0.0.1/32], numbers: ["%s*"] }
                %s
                targets: { support: { trunk: carrier, number: "%s"%s } }
                routes: [ { number: "%s*", target: support } ]
                api: { keys: { monitoring: { key-env: TEST_API_KEY } } }
                """.formatted(drainTime.toSeconds(), sipPort, sipPort, httpPort, webrtcPort, rtpLow, rtpHigh,
                noMediaTimeout.toSeconds(), mediaOptions.isEmpty() ? "" : ", " + mediaOptions, uasSipPort, TRUNK_USER, trunkCodecs, ROUTED_NUMBER,
                trunkKeys, TARGET_NUMBER,
                supportOptions.isEmpty() ? "" : ", " + supportOptions, ROUTED_NUMBER) + extraConfig;
    }

    String sipAddress() {
        return LOOPBACK + ":" + sipPort;
    }

    /** The support line, listening where trunk {@code carrier} sends its INVITEs. */
    Sipp uas(String testName, String scenario) {
        return Sipp.uas("uas", scenario, testDir(testName)).local(LOOPBACK, uasSipPort, uasMediaPort);
    }

    /** The carrier calling {@code number} on Warmline from 127.0.0.1. */
    Sipp uac(String testName, String scenario, String number) {
        return Sipp.uac("uac", scenario, sipAddress(), number, testDir(testName)).local(LOOPBACK, uacSipPort, uacMediaPort);
    }

    Path testDir(String testName) {
        Path d = dir.resolve(testName);
        try {
            return Files.createDirectories(d);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isWarmlinePort(int port) {
        return port >= rtpLow && port <= rtpHigh;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
