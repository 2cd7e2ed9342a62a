package io.warmline.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.warmline.webrtc.it.TestNamespace;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A browser's WebRTC leg bridged to a SIP leg: Chromium opens a voice leg, the company backend escalates the
 * conversation to the configured target, Warmline dials a SIPp UAS that answers with PCMU only and echoes RTP, and
 * joins it into the conversation's bridge. Audio must cross both ways: tshark counts the PCMU packets Warmline sends
 * the support line and the support line's echo, and the browser's {@code getStats()} must show the echoed tone
 * arriving (browser → Opus → bridge → PCMU → SIPp → PCMU → bridge → Opus → browser). The UAS scenario also fails
 * if the INVITE lacks the conversation's {@code X-Conversation-ID} and {@code User-to-User}. It runs inside the
 * test's network namespace ({@link TestNamespace}), with the browser's address as Warmline saw it checked.
 */
@Tag(TestNamespace.TAG)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebRtcToSipPeerTest {
    private static final String UNTIL_CONNECTED = """
            (async () => {
              const deadline = performance.now() + 15000;
              while (performance.now() < deadline) {
                const r = JSON.parse(await window.warmline.report());
                if (r.error || (r.legs.length === 1 && r.legs[0].connection === 'connected')) { return JSON.stringify(r); }
                await new Promise(res => setTimeout(res, 100));
              }
              return window.warmline.report();
            })()""";
    /** Waits until the browser has received 1.5 s more audio than it had when called, with energy in it. */
    private static final String UNTIL_ECHO = """
            (async () => {
              const deadline = performance.now() + %d;
              const inbound = r => (r.legs && r.legs[0] && r.legs[0].inbound) || {packetsReceived: 0, totalAudioEnergy: 0};
              const base = inbound(JSON.parse(await window.warmline.report()));
              while (performance.now() < deadline) {
                const r = JSON.parse(await window.warmline.report());
                if (r.error) { return JSON.stringify(r); }
                const now = inbound(r);
                if (r.legs[0].connection === 'connected' && now.packetsReceived >= base.packetsReceived + 75
                    && now.totalAudioEnergy > base.totalAudioEnergy + 0.01) {
                  return JSON.stringify({echoed: true, base: base, report: r});
                }
                await new Promise(res => setTimeout(res, 100));
              }
              return JSON.stringify({echoed: false, base: base, report: JSON.parse(await window.warmline.report())});
            })()""";

    private static final int PCMU = 0;

    private VoiceNode node;
    private TestNamespace namespace;

    @BeforeAll
    void start() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        namespace = TestNamespace.require();
        node = new VoiceNode("WebRtcToSipPeerTest", 20, "");
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void audioCrossesBetweenTheBrowserAndTheSupportLine() throws Exception {
        String conv = "conv-escalate-1";
        Path dir = node.testDir("escalate");
        Path wav = TestWav.tone(dir.resolve("mic.wav"), 440, 2.0, -12);
        try (Tshark capture = Tshark.start(dir, "rtp", Duration.ofSeconds(60), node.uasMediaPort);
             Sipp.Running uas = node.uas("escalate", "uas-echo-pcmu-only.xml").set("conv", conv)
                     .set("uui", HexFormat.of().formatHex(conv.getBytes(StandardCharsets.UTF_8)))
                     .start().awaitListening();
             Chromium browser = Chromium.launch(dir, wav, node.pageUrl(conv, node.token(conv), 1))) {
            browser.awaitPage(Duration.ofSeconds(20));
            JsonNode connected = JsonReport.parse(browser.evaluate(UNTIL_CONNECTED, Duration.ofSeconds(20)));
            assertEquals("connected", connected.path("legs").path(0).path("connection").asText(),
                    connected + "\n" + browser.outputTail());

            VoiceNode.Reply escalation = node.escalate(conv);
            assertEquals(201, escalation.status(), escalation.body());
            String location = escalation.header("location");

            // Counted from the moment the support line answered, so that the comfort tone heard while it rang
            // cannot satisfy the check and the call stays up long enough for the capture's packet floors.
            assertTrue(node.process.output().await(l -> l.contains("-> CONNECTED"), Duration.ofSeconds(20)),
                    "the escalation never reached CONNECTED: " + node.process.output().tail(30));
            JsonNode heard = JsonReport.parse(browser.evaluate(UNTIL_ECHO.formatted(20_000), Duration.ofSeconds(30)));
            assertTrue(heard.path("echoed").asBoolean(false),
                    "the support line's echo did not reach the browser: " + heard);
            List<InetAddress> peers = node.connectedWebRtcPeers();
            assertEquals(1, peers.size(), node.process.output().tail(30));
            assertTrue(namespace.contains(peers.get(0)), "browser address outside loopback and " + namespace.cidr()
                    + ": " + peers);
            VoiceNode.Reply state = node.send("GET", location, null, null, "Bearer " + node.apiKey);
            assertEquals("CONNECTED", state.json().path("state").asText(), state.body());

            JsonNode deleted = JsonReport.parse(browser.evaluate("window.warmline.hangup()", Duration.ofSeconds(10)));
            assertEquals("[200]", deleted.toString());
            Sipp.Result support = uas.await();
            assertTrue(support.succeeded(), "support line: " + support.describe());

            Map<Tshark.Flow, Integer> flows = capture.stopAndCountRtp(node.uasMediaPort);
            int toSupport = Tshark.count(flows, -1, node.uasMediaPort, PCMU);
            int fromSupport = Tshark.count(flows, node.uasMediaPort, -1, PCMU);
            // At least a second of 20 ms packets each way.
            assertTrue(toSupport >= 50, "Warmline -> support line: " + toSupport + " PCMU packets; " + flows);
            assertTrue(fromSupport >= 50, "support line -> Warmline: " + fromSupport + " PCMU packets; " + flows);
        }
    }
}
