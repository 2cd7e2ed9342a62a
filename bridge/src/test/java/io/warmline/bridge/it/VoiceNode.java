package io.warmline.bridge.it;

import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmline.webrtc.it.TestNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Warmline server for the voice (WebRTC) peer tests: the {@code /v1} API with one API key and a fixed token secret
 * (both from the environment), at most two voice legs per conversation, and a target {@code support} (number 2000)
 * on trunk {@code carrier}, whose outbound address is a SIPp UAS. Its WebRTC port admits loopback, and inside the
 * browser tests' network namespace ({@link TestNamespace}) that namespace's range too: nothing else.
 */
final class VoiceNode implements AutoCloseable {
    static final String TARGET_NUMBER = "2000";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Warmline's line for a connected WebRTC leg, naming the nominated path's remote address (an IcePath). */
    private static final Pattern CONNECTED_ON = Pattern.compile(
            "WebRTC leg \\S+: connected on IcePath\\[transport=\\w+, remote=[^/\\s]*/([0-9a-fA-F:.]+):\\d+]");

    final Path dir;
    final int sipPort = Ports.sip(LOOPBACK);
    final int httpPort = Ports.sip(LOOPBACK);
    final int webrtcPort = Ports.sip(LOOPBACK);
    final int rtpLow;
    final int rtpHigh;
    final int uasSipPort = Ports.sip(LOOPBACK);
    final int uasMediaPort = Ports.udpBlock(LOOPBACK, 4);
    final String apiKey = "key-" + hex(16);
    final String tokenSecret = hex(32);
    final WarmlineProcess process;
    private final int warmUpSeconds;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The node's JVM options unless a test gives others: paranoid leak detection, a small heap. */
    static final List<String> JVM_OPTIONS = List.of("-Dio.netty.leakDetection.level=paranoid", "-Xmx512m");

    VoiceNode(String name, int rtpPorts, String extraConfig) throws IOException, InterruptedException {
        this(name, rtpPorts, extraConfig, JVM_OPTIONS);
    }

    /** A browser's audio offer as Chromium makes it (test resource {@code browser-audio-offer.sdp}). */
    static String browserAudioOffer() throws IOException {
        try (InputStream in = VoiceNode.class.getResourceAsStream("browser-audio-offer.sdp")) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    VoiceNode(String name, int rtpPorts, String extraConfig, List<String> jvmOptions)
            throws IOException, InterruptedException {
        this(name, rtpPorts, extraConfig, jvmOptions, DEFAULT_TRUNKS, "10s");
    }

    /** The trunk {@code carrier} towards the UAS as {@link #DEFAULT_TRUNKS}, with other options or targets. */
    static final String DEFAULT_TRUNKS = """
            trunks:
              carrier:
                outbound: { address: "127.0.0.1:${uasSipPort}", transport: udp }
                codecs: [PCMU]
                ring-timeout: 10s
            targets: { support: { trunk: carrier, number: "2000" } }
            """;

    /**
     * @param trunksAndTargets the {@code trunks} and {@code targets} sections; {@code ${uasSipPort}} is replaced by
     *     the UAS's SIP port
     * @param handshakeTimeout {@code webrtc.handshake-timeout}: how long a voice leg whose offer was answered may
     *     stay without ICE and DTLS (tests that post offers without a browser keep their legs this long)
     */
    VoiceNode(String name, int rtpPorts, String extraConfig, List<String> jvmOptions, String trunksAndTargets,
            String handshakeTimeout) throws IOException, InterruptedException {
        this(name, rtpPorts, extraConfig, jvmOptions, trunksAndTargets, handshakeTimeout, 0);
    }

    /**
     * As above with {@code media.warm-up-seconds} (the other constructors turn the warm-up off so that the suite does
     * not pay it on every start).
     */
    VoiceNode(String name, int rtpPorts, String extraConfig, List<String> jvmOptions, String trunksAndTargets,
            String handshakeTimeout, int warmUpSeconds) throws IOException, InterruptedException {
        this.warmUpSeconds = warmUpSeconds;
        dir = PeerEnvironment.workDir(name);
        int low = Ports.udpBlock(LOOPBACK, rtpPorts + 1);
        rtpLow = low % 2 == 0 ? low : low + 1;
        rtpHigh = rtpLow + rtpPorts - 1;
        Path config = dir.resolve("warmline.yaml");
        Files.writeString(config, config(extraConfig, trunksAndTargets.replace("${uasSipPort}",
                Integer.toString(uasSipPort)), handshakeTimeout), StandardCharsets.UTF_8);
        process = WarmlineProcess.start(config, LOOPBACK + ":" + httpPort,
                Map.of("TEST_API_KEY", apiKey, "TEST_TOKEN_SECRET", tokenSecret), dir, jvmOptions);
    }

    private String config(String extra, String trunksAndTargets, String handshakeTimeout) {
        return """
                node: { advertised-address: 127.0.0.1, drain-time: 1s }
                sip:
                  listen:
                    - { transport: udp, address: "127.0.0.1:%d" }
                http: { listen: "127.0.0.1:%d" }
                webrtc: { port: %d, addresses: [ 127.0.0.1 ], handshake-timeout: %s, allowed-peers: [ %s ] }
                media: { rtp-ports: %d-%d, no-media-timeout: 30s, latch-window: 2s, warm-up-seconds: %d }
                api:
                  keys: { backend: { key-env: TEST_API_KEY } }
                  token-secret-env: TEST_TOKEN_SECRET
                  token-ttl: 5m
                  widget-origins: [ "http://127.0.0.1:%d" ]
                  max-voice-legs: 2
                """.formatted(sipPort, httpPort, webrtcPort, handshakeTimeout,
                TestNamespace.ifInside().map(ns -> "127.0.0.0/8, " + ns.cidr()).orElse("127.0.0.0/8"), rtpLow,
                rtpHigh, warmUpSeconds, httpPort)
                + trunksAndTargets + extra;
    }

    String base() {
        return "http://" + LOOPBACK + ":" + httpPort;
    }

    /** A widget token for {@code conversation}, minted with the API key as the company backend would. */
    String token(String conversation) throws IOException, InterruptedException {
        Reply r = send("POST", "/v1/conversations/" + conversation + "/voice-tokens", null, "", "Bearer " + apiKey);
        if (r.status != 201) {
            throw new IllegalStateException("minting a token failed: " + r.status + " " + r.body);
        }
        return r.json().get("token").asText();
    }

    /** The URL of the widget test page opening {@code legs} legs in {@code conversation} with {@code token}. */
    String pageUrl(String conversation, String token, int legs) {
        return base() + "/widget/voice-test.html?autostart=1&legs=" + legs + "&conversation=" + conversation
                + "#token=" + token;
    }

    record Reply(int status, Map<String, java.util.List<String>> headers, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    Reply send(String method, String path, String contentType, String body, String authorization)
            throws IOException, InterruptedException {
        return send(method, path, contentType, body, authorization, Map.of());
    }

    /** {@link #send(String, String, String, String, String)} with more request headers (If-Match, say). */
    Reply send(String method, String path, String contentType, String body, String authorization,
            Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        headers.forEach(b::header);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().map(), r.body());
    }

    /** The browser address of every WebRTC leg Warmline has logged as connected (its nominated path), in order. */
    List<InetAddress> connectedWebRtcPeers() throws IOException {
        List<InetAddress> peers = new ArrayList<>();
        for (String line : process.output().lines()) {
            Matcher m = CONNECTED_ON.matcher(line);
            if (m.find()) {
                peers.add(InetAddress.getByName(m.group(1)));
            }
        }
        return peers;
    }

    /** Escalates {@code conversation} to the configured target {@code support}. */
    Reply escalate(String conversation) throws IOException, InterruptedException {
        return send("POST", "/v1/conversations/" + conversation + "/escalations", "application/json",
                "{\"target\":\"support\"}", "Bearer " + apiKey);
    }

    /** The support line, listening where trunk {@code carrier} sends its INVITEs. */
    Sipp uas(String testName, String scenario) throws IOException {
        return Sipp.uas("uas", scenario, Files.createDirectories(dir.resolve(testName)))
                .local(LOOPBACK, uasSipPort, uasMediaPort);
    }

    Path testDir(String testName) throws IOException {
        return Files.createDirectories(dir.resolve(testName));
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
