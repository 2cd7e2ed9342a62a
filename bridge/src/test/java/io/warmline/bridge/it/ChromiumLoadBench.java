package io.warmline.bridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.warmline.webrtc.it.TestNamespace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * WebRTC load with a real browser as the client: one headless Chromium page opens N WebRTC legs (one per
 * conversation, each sending the fake microphone's tone), the backend escalates every conversation to a SIPp UAS
 * that answers PCMU and echoes RTP, and the test holds all N bridged calls for a measured window. Not a test (its
 * name does not match surefire's patterns); run it explicitly:
 *
 * <pre>
 *   mvn -B -o -pl bridge -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ChromiumLoadBench \
 *       -Dwarmline.bench.legs=60 -Dwarmline.bench.seconds=60
 * </pre>
 *
 * The report ({@code bridge/target/peer-tests/ChromiumLoadBench/result.txt}) gives failed legs (not connected, not
 * escalated, or no audio back in the window), the handshake per leg (offer posted → connected, as the browser saw it,
 * and Warmline's own offer accepted → DTLS done), CPU of Warmline, of the browser (all its processes) and of SIPp
 * over the window, and Warmline's late output frames from each conversation's closing line. Like the browser tests it
 * runs inside the test's network namespace ({@link TestNamespace}).
 */
@Tag(TestNamespace.TAG)
class ChromiumLoadBench {
    private static final Pattern ENDED = Pattern.compile(
            "Conversation ended; bridge ticks (\\d+) skipped (\\d+) late (\\d+); output frames due (\\d+) sent (\\d+) late (\\d+)");
    private static final Pattern HANDSHAKE = Pattern.compile("ICE and DTLS done ([0-9.]+) ms after the offer");
    private static final String UNTIL_CONNECTED = """
            (async () => {
              const deadline = performance.now() + %d;
              while (performance.now() < deadline) {
                const r = JSON.parse(await window.warmline.report());
                if (r.error || (r.legs.length === %d && r.legs.every(l => l.connection === 'connected'))) {
                  return JSON.stringify(r);
                }
                await new Promise(res => setTimeout(res, 200));
              }
              return window.warmline.report();
            })()""";

    @Test
    void run() throws Exception {
        Assumptions.assumeTrue(System.getProperty("warmline.bench.legs") != null,
                "a benchmark: run with -Dwarmline.bench.legs=N");
        TestNamespace.require();
        int legs = Integer.getInteger("warmline.bench.legs");
        int hold = Integer.getInteger("warmline.bench.seconds", 60);
        List<String> jvm = List.of(System.getProperty("warmline.bench.jvm", "-Xms1g -Xmx1g").split(" "));
        StringBuilder out = new StringBuilder();
        out.append(String.format("Chromium WebRTC load: legs %d, hold %d s, Warmline JVM %s, start %s, load %s%n", legs,
                hold, jvm, Instant.now(), Files.readString(Path.of("/proc/loadavg")).strip()));
        try (VoiceNode node = new VoiceNode("ChromiumLoadBench", legs * 2 + 8, "", jvm)) {
            Path dir = node.testDir("bench");
            Path wav = TestWav.tone(dir.resolve("mic.wav"), 440, 2.0, -12);
            List<String> convs = new ArrayList<>();
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < legs; i++) {
                convs.add("bench-" + i);
                tokens.add(node.token("bench-" + i));
            }
            String url = node.base() + "/widget/voice-test.html?autostart=1&conversations=" + String.join(",", convs)
                    + "#tokens=" + String.join(",", tokens);
            try (Sipp.Running uas = node.uas("bench", "uas-echo-pcmu-only.xml").calls(legs)
                    .timeout(Duration.ofSeconds(hold + 600L)).start().awaitListening();
                 Chromium browser = Chromium.launch(dir, wav, url)) {
                browser.awaitPage(Duration.ofSeconds(30));
                long rampStart = System.nanoTime();
                JsonNode up = JsonReport.parse(browser.evaluate(UNTIL_CONNECTED.formatted(legs * 2000 + 30_000, legs),
                        Duration.ofSeconds(legs * 2L + 40)));
                double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
                int connected = 0;
                List<Double> browserHandshakes = new ArrayList<>();
                for (JsonNode l : up.path("legs")) {
                    if ("connected".equals(l.path("connection").asText())) {
                        connected++;
                    }
                    if (l.hasNonNull("handshakeMs")) {
                        browserHandshakes.add(l.get("handshakeMs").asDouble());
                    }
                }
                out.append(String.format("ramp: %d/%d connected in %.1f s%s%n", connected, legs, rampSeconds,
                        up.path("error").isNull() ? "" : "; page error " + up.path("error").asText()));

                List<String> escalations = new ArrayList<>();
                for (String c : convs) {
                    VoiceNode.Reply r = node.escalate(c);
                    escalations.add(r.status() == 201 ? r.header("location") : null);
                    if (r.status() != 201) {
                        out.append("escalation of ").append(c).append(": ").append(r.status()).append(' ')
                                .append(r.body()).append('\n');
                    }
                }
                int answered = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                for (String loc : escalations) {
                    while (loc != null && System.nanoTime() < deadline) {
                        VoiceNode.Reply r = node.send("GET", loc, null, null, "Bearer " + node.apiKey);
                        String state = r.status() == 200 ? r.json().path("state").asText() : "HTTP " + r.status();
                        if (state.equals("CONNECTED")) {
                            answered++;
                            break;
                        }
                        if (!state.equals("DIALING") && !state.equals("RINGING") && !state.equals("REQUESTED")) {
                            out.append("escalation ").append(loc).append(": ").append(r.body()).append('\n');
                            break;
                        }
                        new CountDownLatch(1).await(50, TimeUnit.MILLISECONDS);
                    }
                }
                out.append("escalations answered ").append(answered).append('/').append(legs).append('\n');

                // Settle, then the measured window.
                new CountDownLatch(1).await(5, TimeUnit.SECONDS);
                JsonNode before = JsonReport.parse(browser.evaluate("window.warmline.report()", Duration.ofSeconds(30)));
                long w0 = ProcCpu.cpuNanos(node.process.pid());
                long c0 = ProcCpu.cpuNanosOfAll(browser.processMarker());
                long s0 = ProcCpu.cpuNanos(uas.pid());
                long t0 = System.nanoTime();
                new CountDownLatch(1).await(hold, TimeUnit.SECONDS);
                double wall = (System.nanoTime() - t0) / 1e9;
                double warmline = (ProcCpu.cpuNanos(node.process.pid()) - w0) / 1e9 / wall;
                double chromium = (ProcCpu.cpuNanosOfAll(browser.processMarker()) - c0) / 1e9 / wall;
                double sipp = (ProcCpu.cpuNanos(uas.pid()) - s0) / 1e9 / wall;
                JsonNode after = JsonReport.parse(browser.evaluate("window.warmline.report()", Duration.ofSeconds(30)));
                int hearing = 0;
                long packets = 0;
                for (int i = 0; i < after.path("legs").size(); i++) {
                    JsonNode a = after.path("legs").path(i).path("inbound");
                    JsonNode b = before.path("legs").path(i).path("inbound");
                    double energy = a.path("totalAudioEnergy").asDouble() - b.path("totalAudioEnergy").asDouble();
                    packets += a.path("packetsReceived").asLong() - b.path("packetsReceived").asLong();
                    if (energy > 0.001 * hold && "connected".equals(after.path("legs").path(i).path("connection").asText())) {
                        hearing++;
                    }
                }
                out.append(String.format("window %.1f s, load %s: Warmline %.3f cores = %.2f %% of a core per leg;"
                                + " Chromium %.3f cores = %.2f %% per leg; SIPp %.3f cores; Warmline/Chromium %.2f%n",
                        wall, Files.readString(Path.of("/proc/loadavg")).strip(), warmline,
                        100 * warmline / Math.max(1, answered), chromium, 100 * chromium / Math.max(1, connected),
                        sipp, chromium > 0 ? warmline / chromium : 0));
                out.append(String.format("legs hearing their echo in the window %d/%d; RTP received by the browser"
                        + " %.1f packets/s per leg%n", hearing, legs, packets / wall / Math.max(1, legs)));

                Files.writeString(node.dir.resolve("result.txt"), out.toString(), StandardCharsets.UTF_8);
                try {
                    browser.evaluate("window.warmline.hangup()", Duration.ofSeconds(legs + 30L));
                } catch (IllegalStateException e) {
                    out.append("hang-up from the page did not finish: ").append(e.getMessage()).append('\n');
                }
                Sipp.Result sippResult = uas.await();
                out.append("SIPp: ").append(sippResult.succeeded() ? "all calls completed" : sippResult.describe())
                        .append('\n');
                node.process.output().await(l -> false, Duration.ofSeconds(2));
                long due = 0;
                long late = 0;
                long ticks = 0;
                long skipped = 0;
                int ended = 0;
                List<Double> serverHandshakes = new ArrayList<>();
                for (String line : node.process.output().lines()) {
                    Matcher m = ENDED.matcher(line);
                    if (m.find()) {
                        ended++;
                        ticks += Long.parseLong(m.group(1));
                        skipped += Long.parseLong(m.group(2));
                        due += Long.parseLong(m.group(4));
                        late += Long.parseLong(m.group(6));
                    }
                    Matcher h = HANDSHAKE.matcher(line);
                    if (h.find()) {
                        serverHandshakes.add(Double.parseDouble(h.group(1)));
                    }
                }
                out.append(String.format("handshake ms (offer posted -> connected, browser): %s; (offer accepted ->"
                                + " DTLS done, Warmline): %s%n", percentiles(browserHandshakes),
                        percentiles(serverHandshakes)));
                out.append(String.format("conversations ended %d; ticks %d (skipped %d); output frames due %d, late %d"
                        + " = %.3f %%%n", ended, ticks, skipped, due, late, due > 0 ? 100.0 * late / due : 0));
                int ok = Math.min(Math.min(connected, answered), hearing);
                out.append("failed legs ").append(legs - ok).append('\n');
            }
            Files.writeString(node.dir.resolve("result.txt"), out.toString(), StandardCharsets.UTF_8);
        }
        System.out.println(out);
    }

    private static String percentiles(List<Double> values) {
        if (values.isEmpty()) {
            return "none";
        }
        List<Double> v = new ArrayList<>(values);
        Collections.sort(v);
        return String.format("n %d, p50 %.0f, p95 %.0f, max %.0f", v.size(), v.get(v.size() / 2),
                v.get(Math.min(v.size() - 1, (int) Math.ceil(0.95 * v.size()) - 1)), v.get(v.size() - 1));
    }
}
