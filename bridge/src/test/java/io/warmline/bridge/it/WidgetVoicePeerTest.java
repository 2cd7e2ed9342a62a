package io.warmline.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.warmline.webrtc.it.TestNamespace;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The widget's voice leg with a real browser: headless Chromium loads the test page Warmline serves, whose fake
 * microphone plays a tone the test wrote, and opens two legs in one conversation with a token minted through the
 * API. Each leg must reach {@code connected}, and Chromium's own {@code getStats()} must show audio with energy
 * arriving from Warmline (each leg hears the other through the conversation's bridge). The browser's
 * {@code RTCDTMFSender} digits must be logged as DTMF events, and DELETE must hang up. It runs inside the test's
 * network namespace ({@link TestNamespace}): each leg's browser address, as Warmline saw it, is loopback or in the
 * namespace's range.
 */
@Tag(TestNamespace.TAG)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WidgetVoicePeerTest {
    /** Waits in the page until every leg is connected and hears audio (or the time is up); returns the report. */
    static final String UNTIL_AUDIO = """
            (async () => {
              const deadline = performance.now() + %d;
              while (performance.now() < deadline) {
                const r = JSON.parse(await window.warmline.report());
                if (r.error) { return JSON.stringify(r); }
                if (r.legs.length === %d && r.legs.every(l => l.connection === 'connected' && l.inbound
                    && l.inbound.packetsReceived > 50 && l.inbound.totalAudioEnergy > %s)) { return JSON.stringify(r); }
                await new Promise(res => setTimeout(res, 100));
              }
              return window.warmline.report();
            })()""";

    private VoiceNode node;
    private TestNamespace namespace;

    @BeforeAll
    void start() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        namespace = TestNamespace.require();
        node = new VoiceNode("WidgetVoicePeerTest", 20, "");
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void twoBrowserLegsConnectAndHearEachOtherThroughTheBridge() throws Exception {
        Path dir = node.testDir("two-legs");
        Path wav = TestWav.tone(dir.resolve("mic.wav"), 440, 2.0, -12);
        String conv = "conv-widget-1";
        try (Chromium browser = Chromium.launch(dir, wav, node.pageUrl(conv, node.token(conv), 2))) {
            browser.awaitPage(Duration.ofSeconds(20));
            JsonNode report = JsonReport.parse(browser.evaluate(UNTIL_AUDIO.formatted(20_000, 2, "0.01"),
                    Duration.ofSeconds(30)));
            if (report.path("legs").size() != 2 || report.path("legs").findValues("totalAudioEnergy").stream()
                    .anyMatch(e -> e.asDouble() <= 0.01)) {
                // Hang up first, so the node logs each leg's media counts for the failure message.
                browser.evaluate("window.warmline.hangup()", Duration.ofSeconds(10));
                node.process.output().await(l -> l.contains("Conversation ended"), Duration.ofSeconds(5));
            }
            assertTrue(report.path("error").isNull(), "page error: " + report + "\n" + browser.outputTail());
            assertEquals(2, report.path("legs").size(), report.toString());
            for (JsonNode leg : report.path("legs")) {
                assertEquals("connected", leg.path("connection").asText(), report.toString());
                assertTrue(leg.path("inbound").path("packetsReceived").asLong() > 50, report.toString());
                assertTrue(leg.path("inbound").path("totalAudioEnergy").asDouble() > 0.01,
                        "no audio energy from Warmline: " + report + "\n" + node.process.output().tail(12));
                assertTrue(leg.path("outbound").path("packetsSent").asLong() > 50, report.toString());
            }
            List<InetAddress> peers = node.connectedWebRtcPeers();
            assertEquals(2, peers.size(), node.process.output().tail(30));
            assertTrue(peers.stream().allMatch(namespace::contains), "browser addresses outside loopback and "
                    + namespace.cidr() + ": " + peers);

            browser.evaluate("window.warmline.sendDigits('19#')", Duration.ofSeconds(5));
            for (String digit : new String[] {"1", "9", "#"}) {
                assertTrue(node.process.output().await(l -> l.contains("dtmf-heard conv=" + conv + " ")
                        && l.contains(" digit=" + digit + " "), Duration.ofSeconds(10)), "digit " + digit + " was not logged:\n" + node.process.output().tail(30));
            }

            JsonNode deleted = JsonReport.parse(browser.evaluate("window.warmline.hangup()", Duration.ofSeconds(10)));
            assertEquals("[200,200]", deleted.toString());
            assertTrue(node.process.output().await(l -> l.contains("Conversation ended"), Duration.ofSeconds(10)));
        }
    }
}
