package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmline.media.play.WavAudio;
import io.warmline.media.play.WavReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * A carrier call to a target that is not recorded is relayed (PCMA both sides); the API starts a recording in the
 * middle of it, which moves the call's media from the relay into a bridge without dropping the call: RTP keeps
 * flowing both ways on the wire (tshark), the call completes, and the participant files hold the call from the
 * request on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecordingOnRequestPeerTest {
    private static final int PCMA = 8;

    private PeerNode node;
    private Path recordings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.startWithSupport("RecordingOnRequestPeerTest", Duration.ofSeconds(2), "", dir -> """
                recording: { directory: "%s", mode: participants, min-free-mb: 1 }
                """.formatted(dir.resolve("recordings")));
        recordings = node.dir.resolve("recordings");
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aRelayedCallRecordedOnRequestMovesIntoABridgeAndGoesOn(TestInfo test) throws Exception {
        String conv = "conv-on-request";
        String dir = test.getTestMethod().orElseThrow().getName();
        JsonNode started;
        Map<Tshark.Flow, Integer> flows;
        try (Tshark capture = Tshark.start(node.testDir(dir), "rtp", Duration.ofSeconds(40), node.uacMediaPort,
                node.uasMediaPort);
             Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", conv).start().awaitListening();
             Sipp.Running uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", conv)
                     .pause(Duration.ofSeconds(7)).start()) {
            assertTrue(node.process.output().await(l -> l.contains("[conv=" + conv + "]")
                    && l.contains("-> CONNECTED"), Duration.ofSeconds(10)), node.process.output().tail(20));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort
                            + "/v1/conversations/" + conv + "/recording"))
                    .header("Authorization", "Bearer " + node.apiKey).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, r.statusCode(), r.body());
            started = new ObjectMapper().readTree(r.body());
            assertCallSucceeded(uac.await(), uas.await());
            flows = capture.stopAndCountRtp(node.uacMediaPort, node.uasMediaPort);
        }
        assertTrue(node.process.output().lines().stream().anyMatch(l -> l.contains("[conv=" + conv + "]")
                && l.contains("Terminating the call's media")), "the relay was not replaced by a bridge");
        assertEquals("participants", started.get("mode").asText());
        assertEquals(2, started.get("files").size(), started.toString());
        // 7 s of 30 ms packets from the carrier, 20 ms ones from the bridge: both directions on both legs all along.
        CarrierCallPeerTest.assertAtLeast(flows, "carrier -> Warmline", node.uacMediaPort, -1, PCMA, 150);
        CarrierCallPeerTest.assertAtLeast(flows, "Warmline -> carrier", -1, node.uacMediaPort, PCMA, 150);
        CarrierCallPeerTest.assertAtLeast(flows, "Warmline -> support line", -1, node.uasMediaPort, PCMA, 150);
        for (String part : List.of("_caller.wav", "_callee.wav")) {
            assertTrue(node.process.output().await(l -> l.contains(conv + "_") && l.contains(part + " closed"),
                    Duration.ofSeconds(10)), node.process.output().tail(20));
        }
        for (JsonNode f : started.get("files")) {
            Path file = recordings.resolve(f.asText());
            assertTrue(Files.exists(file), file.toString());
            WavAudio w = WavReader.read(file);
            assertTrue(w.durationMillis() >= 4000 && w.durationMillis() <= 7500, f + ": " + w.durationMillis() + " ms");
        }
        String callerFile = started.get("files").get(0).asText();
        assertTrue(callerFile.endsWith("_caller.wav"), callerFile);
        WavAudio caller = WavReader.read(recordings.resolve(callerFile));
        int loud = 0;
        for (short v : caller.samples()) {
            loud += Math.abs(v) > 1000 ? 1 : 0;
        }
        assertTrue(loud > caller.length() / 20, "the caller's speech is in " + callerFile + ": " + loud
                + " loud samples of " + caller.length());
    }
}
