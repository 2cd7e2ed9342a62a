package io.warmline.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Keys on an escalation's support line, against the real node: {@code POST /v1/conversations/{id}/dtmf} with the API
 * key reaches a SIPp support line as RFC 4733 events that tshark decodes (keys, one timestamp each, three end
 * packets), and is refused as RFC 9457 problems when it cannot (no conversation, no escalation, a bad sequence with
 * its position, a wrong key, an unknown leg, the key rate). A target on an {@code info} trunk with a DTMF sequence is
 * navigated with SIP INFO before the human is connected, takes keys on demand as INFO (SIPp checks each body), and a
 * key the support line sends as INFO is logged as heard exactly once.
 *
 * <p>The customer's voice leg is an answered browser offer that never completes ICE (no browser is needed for keys
 * on the SIP side); the node keeps it for its 60 s handshake timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscalationDtmfPeerTest {
    private static final int TELEPHONE_EVENT_PT = 101;
    private static final String TRUNKS = """
            trunks:
              carrier:
                outbound: { address: "127.0.0.1:${uasSipPort}", transport: udp }
                codecs: [PCMU]
                ring-timeout: 10s
              pbx:
                outbound: { address: "127.0.0.1:${uasSipPort}", transport: udp }
                codecs: [PCMU]
                ring-timeout: 10s
                dtmf-mode: info
            targets:
              support: { trunk: carrier, number: "2000" }
              support-info: { trunk: pbx, number: "2001", dtmf: "w 3" }
              support-silent: { trunk: carrier, number: "2002", dtmf: "p{silence=500ms,timeout=2s,fallback=fail} 1" }
            """;

    private VoiceNode node;
    private String offer;

    @BeforeAll
    void start() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        offer = VoiceNode.browserAudioOffer();
        node = new VoiceNode("EscalationDtmfPeerTest", 20, "",
                VoiceNode.JVM_OPTIONS, TRUNKS, "60s");
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void keysOnDemandReachTheSupportLineAsTelephoneEvents() throws Exception {
        String conv = "conv-dtmf-rfc4733";
        String auth = "Bearer " + node.apiKey;
        assertProblem(press(conv, "{\"digits\":\"1\"}", auth), 404, "no-such-conversation", conv);
        openVoiceLeg(conv);
        assertProblem(press(conv, "{\"digits\":\"1\"}", auth), 409, "no-live-leg", "no live escalation");

        Path dir = node.testDir("rfc4733");
        Tshark capture = Tshark.start(dir, "rtp", Duration.ofSeconds(60), node.uasMediaPort);
        try (Sipp.Running uas = node.uas("rfc4733", "uas-echo-pcmu-only.xml").noEcho().start().awaitListening()) {
            String escalation = escalate(conv, "support");

            VoiceNode.Reply accepted = press(conv, "{\"digits\":\"1 2 #\"}", auth);
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals("support", accepted.json().path("leg").asText());
            assertEquals("queued", accepted.json().path("status").asText());

            assertProblem(press(conv, "{\"digits\":\"12x4\"}", auth), 400, "bad-dtmf-sequence", "position 3");
            assertProblem(press(conv, "{\"digits\":\"1\"}", "Bearer wrong-" + node.apiKey), 401, "unauthorized",
                    "API key");
            assertProblem(press("conv-someone-else", "{\"digits\":\"1\"}", auth), 404, "no-such-conversation",
                    "conv-someone-else");
            assertProblem(press(conv, "{\"digits\":\"1\",\"leg\":\"nope\"}", auth), 409, "no-live-leg", "nope");

            assertTrue(node.process.output().await(l -> l.contains("dtmf-dial conv=" + conv + " outcome=DONE"),
                    Duration.ofSeconds(10)), node.process.output().tail(30));
            // A burst of 64 keys, then 4 a second: requests of 32 keys are refused once the burst is spent.
            String many = "{\"digits\":\"" + "5".repeat(32) + "\"}";
            VoiceNode.Reply limited = press(conv, many, auth);
            assertEquals(202, limited.status(), limited.body());
            for (int i = 0; i < 2 && limited.status() == 202; i++) {
                limited = press(conv, many, auth);
            }
            assertProblem(limited, 429, "dtmf-rate-limited", "keys a second");
            assertNotNull(limited.header("retry-after"), limited.headers().toString());
            assertTrue(Integer.parseInt(limited.header("retry-after")) >= 1, limited.header("retry-after"));

            // The first three events are the request's; the 32-key requests queue behind them, so once two of
            // their keys went out the third event has ended with its end packets.
            int[] fives = {0};
            assertTrue(node.process.output().await(l -> l.contains("dtmf-sent conv=" + conv + " ")
                    && l.contains(" digit=5 ") && ++fives[0] >= 2, Duration.ofSeconds(10)),
                    node.process.output().tail(30));
            RtpCapture rtp = capture.stopAndReadRtp(TELEPHONE_EVENT_PT, node.uasMediaPort);
            List<RtpCapture.Event> events = RtpCapture.events(rtp.to(node.uasMediaPort));
            assertTrue(events.size() >= 3, events.toString());
            assertEquals("12#", RtpCapture.digits(events.subList(0, 3)), events.toString());
            for (RtpCapture.Event e : events.subList(0, 3)) {
                assertEquals(3, e.endPackets(), e.toString());
                assertTrue(e.markerOnFirst(), e.toString());
            }

            assertEquals(200, node.send("DELETE", escalation, null, null, auth).status());
            Sipp.Result support = uas.await();
            assertTrue(support.succeeded(), "support line: " + support.describe());
        } finally {
            capture.close();
        }
    }

    @Test
    void anInfoTrunkIsNavigatedWithInfoAndItsKeysAreHeardOnce() throws Exception {
        String conv = "conv-dtmf-info";
        String auth = "Bearer " + node.apiKey;
        openVoiceLeg(conv);
        try (Sipp.Running uas = node.uas("info", "uas-info.xml").noEcho().key("first", "3").key("mine", "7")
                .key("second", "4").start().awaitListening()) {
            String escalation = escalate(conv, "support-info");
            assertTrue(node.process.output().await(l -> l.contains("ivr-navigation conv=" + conv + " outcome=DONE"),
                    Duration.ofSeconds(10)), node.process.output().tail(30));
            assertTrue(node.process.output().await(l -> l.contains("dtmf-heard conv=" + conv + " ")
                    && l.contains(" digit=7 mode=info"), Duration.ofSeconds(10)), node.process.output().tail(30));

            VoiceNode.Reply accepted = press(conv, "{\"digits\":\"4\"}", auth);
            assertEquals(202, accepted.status(), accepted.body());
            assertTrue(node.process.output().await(l -> l.contains("dtmf-dial conv=" + conv + " outcome=DONE"),
                    Duration.ofSeconds(10)), node.process.output().tail(30));

            assertEquals(200, node.send("DELETE", escalation, null, null, auth).status());
            Sipp.Result support = uas.await();
            assertTrue(support.succeeded(), "support line: " + support.describe());
            assertTrue(support.logLines().stream().anyMatch(l -> l.contains("info-received n=2 signal=4")),
                    support.logLines().toString());
        }
        long heard = node.process.output().lines().stream()
                .filter(l -> l.contains("dtmf-heard conv=" + conv + " ")).count();
        assertEquals(1, heard, node.process.output().tail(40));
        assertEquals(2, node.process.output().lines().stream()
                .filter(l -> l.contains("dtmf-sent conv=" + conv + " ") && l.contains("mode=info")).count(),
                node.process.output().tail(40));
    }

    @Test
    void aMenuThatNeverSpeaksFailsTheEscalationAsIvrTimeout() throws Exception {
        String conv = "conv-dtmf-silent";
        openVoiceLeg(conv);
        try (Sipp.Running uas = node.uas("silent", "uas-echo-pcmu-only.xml").noEcho().start().awaitListening()) {
            VoiceNode.Reply r = node.send("POST", "/v1/conversations/" + conv + "/escalations", "application/json",
                    "{\"target\":\"support-silent\"}", "Bearer " + node.apiKey);
            assertEquals(201, r.status(), r.body());
            assertTrue(node.process.output().await(l -> l.contains("-> NAVIGATING"), Duration.ofSeconds(10)),
                    node.process.output().tail(30));
            // Keys on demand queue behind the navigation while it runs.
            assertEquals(202, press(conv, "{\"digits\":\"9\"}", "Bearer " + node.apiKey).status());
            assertTrue(node.process.output().await(l -> l.contains("ivr-navigation conv=" + conv
                    + " outcome=PROMPT_TIMEOUT"), Duration.ofSeconds(10)), node.process.output().tail(30));
            Sipp.Result support = uas.await();
            assertTrue(support.succeeded(), "the line was not hung up: " + support.describe());
            // The SIPp line may see the BYE before the escalation's resource is updated: read until it is.
            JsonNode state = null;
            for (int i = 0; i < 50; i++) {
                state = node.send("GET", r.header("location"), null, null, "Bearer " + node.apiKey).json();
                if (!state.path("state").asText().equals("NAVIGATING")) {
                    break;
                }
                node.process.output().await(l -> l.contains("Conversation ended"), Duration.ofMillis(100));
            }
            assertEquals("FAILED", state.path("state").asText(), state.toString());
            assertEquals("ivr-timeout", state.path("reason").asText(), state.toString());
        }
        assertEquals(0, node.process.output().lines().stream()
                .filter(l -> l.contains("dtmf-sent conv=" + conv + " ")).count(), node.process.output().tail(30));
    }

    private void openVoiceLeg(String conv) throws IOException, InterruptedException {
        VoiceNode.Reply r = node.send("POST", "/v1/conversations/" + conv + "/voice", "application/sdp", offer,
                "Bearer " + node.token(conv));
        assertEquals(201, r.status(), r.body());
    }

    /** Escalates and waits until the human's leg is CONNECTED; returns the escalation's location. */
    private String escalate(String conv, String target) throws Exception {
        VoiceNode.Reply r = node.send("POST", "/v1/conversations/" + conv + "/escalations", "application/json",
                "{\"target\":\"" + target + "\"}", "Bearer " + node.apiKey);
        assertEquals(201, r.status(), r.body());
        String location = r.header("location");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = node.send("GET", location, null, null, "Bearer " + node.apiKey).json().path("state").asText();
            if (state.equals("CONNECTED") || state.equals("FAILED") || state.equals("COMPLETED")) {
                break;
            }
            node.process.output().await(l -> l.contains("Escalation ") && l.contains(" -> CONNECTED"),
                    Duration.ofMillis(200));
        }
        assertEquals("CONNECTED", state, node.process.output().tail(30));
        return location;
    }

    private VoiceNode.Reply press(String conv, String json, String auth) throws IOException, InterruptedException {
        return node.send("POST", "/v1/conversations/" + conv + "/dtmf", "application/json", json, auth);
    }

    private static void assertProblem(VoiceNode.Reply r, int status, String code, String detailPart)
            throws IOException {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.header("content-type"), r.headers().toString());
        JsonNode p = r.json();
        assertEquals(code, p.path("code").asText(), r.body());
        assertTrue(p.path("detail").asText().contains(detailPart), r.body());
        if (status == 401) {
            assertNotNull(r.header("www-authenticate"), r.headers().toString());
        }
    }
}
