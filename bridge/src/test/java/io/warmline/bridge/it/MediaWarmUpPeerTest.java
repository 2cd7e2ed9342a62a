package io.warmline.bridge.it;

import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * A node started with {@code media.warm-up-seconds} runs self-calls (WebRTC leg ↔ bridge ↔ PCMU leg, each far end on
 * loopback) before it says it is ready and before SIP listens, and is then clean: no leg, every RTP port free, no warm-up thread, no
 * leaked buffer (paranoid leak detection), the WebRTC counters of /metrics at zero. A flight recording of the node's
 * compilations up to "Warmline ready" shows the per-packet and codec methods compiled by then, by C2 (level 4) when
 * the node reported its compilers idle.
 */
class MediaWarmUpPeerTest {

    private static final int WARM_UP_SECONDS = 5;
    private static final int RTP_PORTS = 48;
    private static final Pattern WARMED = Pattern.compile("Media warmed up: (\\d+) self-calls \\((\\d+) connected\\), "
            + "(\\d+) ticks, (\\d+) packets to the node and (\\d+) back, (\\d+) echoed on PCMU");

    @Test
    void warmUpCompilesTheMediaPathAndLeavesNothingBehind() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        // not the node's directory, which the node's start empties
        Path jfc = PeerEnvironment.workDir("media-warm-up-settings").resolve("compilation.jfc");
        Files.writeString(jfc, """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0" label="compilations" description="every compilation"
                    provider="warmline">
                  <event name="jdk.Compilation">
                    <setting name="enabled">true</setting>
                    <setting name="threshold">0 ms</setting>
                  </event>
                </configuration>
                """, StandardCharsets.UTF_8);
        List<String> jvm = new ArrayList<>(VoiceNode.JVM_OPTIONS);
        jvm.add("-XX:StartFlightRecording=name=warm-up,settings=" + jfc);
        try (VoiceNode node = new VoiceNode("media-warm-up", RTP_PORTS, "", jvm, VoiceNode.DEFAULT_TRUNKS, "10s",
                WARM_UP_SECONDS)) {
            Path recording = node.dir.resolve("until-ready.jfr");
            jcmd(node.process.pid(), "JFR.dump", "name=warm-up", "filename=" + recording);

            String line = node.process.output().lines().stream().filter(l -> l.contains("Media warmed up:"))
                    .findFirst().orElseThrow(() -> new AssertionError("no warm-up line:\n"
                            + node.process.output().tail(40)));
            List<String> lines = node.process.output().lines();
            int sipListening = indexOf(lines, "SIP listening on");
            assertTrue(sipListening > indexOf(lines, "Media warmed up:"), "SIP takes calls only after the warm-up");
            Matcher m = WARMED.matcher(line);
            assertTrue(m.find(), line);
            int legs = Integer.parseInt(m.group(1));
            assertEquals(legs, Integer.parseInt(m.group(2)), "every self-call connected: " + line);
            // at 50 packets a second: the floor leaves room for a loaded machine running late ticks
            assertTrue(Long.parseLong(m.group(3)) >= WARM_UP_SECONDS * 50 / 4, line);
            assertTrue(Long.parseLong(m.group(5)) > 0, "the node's Opus came back through SRTP: " + line);
            assertTrue(Long.parseLong(m.group(6)) > 0, "the node's PCMU reached the echo: " + line);

            // Every group of the path was compiled by the JIT before ready. Whether it reached C2 depends on the
            // compilers catching up, which the node waits for with the media flowing, at most 20 s: when it logged
            // that they went idle, each group must be at C2 (level 4). On the shared machine at load average 24-30
            // they were still busy at the cap in most runs, and even the mixer's loop had not reached C2 in one.
            Map<String, Integer> levels = compileLevels(recording);
            boolean idle = line.contains("(idle)");
            assertTrue(idle || line.contains("(still busy at the cap)"), line);
            int floor = idle ? 4 : 2;
            assertCompiled(levels, floor, "SRTP", "io.warmline.webrtc.srtp.SrtpSession::");
            assertCompiled(levels, floor, "the port's demultiplexing",
                    "io.warmline.webrtc.demux.Rfc7983Demux::classifyAndCount",
                    "io.warmline.webrtc.WebRtcEndpoint::dispatch",
                    "io.warmline.webrtc.WebRtcEndpoint$UdpHandler::channelRead");
            assertCompiled(levels, floor, "the Opus encoder", "io.warmline.media.opus.OpusVoiceEncoder::encode",
                    "io.github.jaredmdobson.concentus.OpusEncoder::",
                    "io.github.jaredmdobson.concentus.SilkNSQState::silk_noise_shape_quantizer",
                    "io.github.jaredmdobson.concentus.FindLTP::");
            assertCompiled(levels, floor, "the bridge's mixing", "io.warmline.media.mix.Mixer::",
                    "io.warmline.media.bridge.MediaBridge::");
            assertCompiled(levels, floor, "G.711", "io.warmline.media.codec.G711::");
            assertCompiled(levels, floor, "the DTMF detector on the PCMU leg",
                    "io.warmline.dtmf.tone.GoertzelDetector::");

            assertEquals(200, node.process.httpGet("/readyz"));
            String metrics = node.send("GET", "/metrics", null, null, "Bearer " + node.apiKey).body();
            assertEquals(0.0, sample(metrics, "warmline_webrtc_legs_active"), 0.0);
            assertEquals(0.0, sample(metrics, "warmline_webrtc_legs_connected_total"), 0.0);
            assertEquals(0.0, sample(metrics, "warmline_webrtc_handshake_seconds_count"), 0.0);
            assertEquals(0.0, sample(metrics, "warmline_webrtc_handshake_max_seconds"), 0.0);
            assertEquals(0.0, sample(metrics, "warmline_media_ticks_total"), 0.0);
            assertEquals(0.0, sample(metrics, "warmline_media_bridges_active"), 0.0);
            assertEquals(0.0, sample(metrics, "warmline_conversations_active"), 0.0);

            assertPortsFree(node.rtpLow, node.rtpHigh);
            String threads = jcmd(node.process.pid(), "Thread.print");
            assertFalse(threads.contains("\"warm-up-"), "a warm-up thread is still alive");

            // paranoid leak detection reports a leaked buffer once it is collected and buffers are allocated again
            jcmd(node.process.pid(), "GC.run");
            for (int i = 0; i < 3; i++) {
                node.send("GET", "/metrics", null, null, "Bearer " + node.apiKey);
            }
            assertFalse(node.process.output().text().contains("LEAK:"), node.process.output().tail(60));
        }
    }

    private static void assertCompiled(Map<String, Integer> levels, int floor, String what, String... prefixes) {
        boolean any = levels.entrySet().stream().anyMatch(e -> {
            for (String p : prefixes) {
                if (e.getKey().startsWith(p) && e.getValue() >= floor) {
                    return true;
                }
            }
            return false;
        });
        assertTrue(any, what + ": none of " + List.of(prefixes) + " compiled at level " + floor
                + " or above before ready; ours: " + levels.entrySet().stream()
                        .filter(e -> e.getKey().startsWith("io.warmline")).map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ")));
    }

    /** The highest level each method was compiled at (successfully) in the recording. */
    private static Map<String, Integer> compileLevels(Path recording) throws IOException {
        Map<String, Integer> levels = new TreeMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getEventType().getName().equals("jdk.Compilation") && e.getBoolean("succeded")) {
                RecordedMethod method = e.getValue("method");
                levels.merge(method.getType().getName() + "::" + method.getName(), (int) e.getInt("compileLevel"),
                        Math::max);
            }
        }
        return levels;
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "'");
    }

    private static double sample(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " in /metrics");
    }

    /** Every port of the range binds on loopback: the warm-up closed its sockets before the compile wait. */
    private static void assertPortsFree(int low, int high) throws IOException {
        List<Integer> taken = new ArrayList<>();
        for (int port = low; port <= high; port++) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port))) {
                s.getLocalPort();
            } catch (SocketException e) {
                taken.add(port);
            }
        }
        assertTrue(taken.isEmpty(), "RTP ports still bound after the warm-up: " + taken);
    }

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + List.of(command) + " failed: "
                    + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
