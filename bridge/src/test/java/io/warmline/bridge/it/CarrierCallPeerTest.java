package io.warmline.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Carrier calls through Warmline between real SIPp peers over loopback: a SIPp UAC as the carrier, Warmline, and a
 * SIPp UAS as the support line whose scenario fails when the conversation headers are missing or differ. RTP is
 * counted on the wire by tshark, never by Warmline's own counters. One server for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CarrierCallPeerTest {
    private static final Pattern LOGGED_HEADERS = Pattern.compile("conversation-headers call-id=\\S+ conv=(\\S*) uui=(\\S*)");
    private static final int PCMU = 0;
    private static final int PCMA = 8;

    private PeerNode node;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        // the NIO transport end to end (the other peer tests run on auto, which is epoll on Linux x86-64)
        node = PeerNode.startWithMedia("CarrierCallPeerTest", Duration.ofSeconds(2), "transport: nio");
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
            assertFalse(node.process.output().text().contains(node.trunkPassword), "the trunk password was logged");
        }
    }

    @Test
    void runsOnTheTransportItsConfigNames() {
        assertTrue(node.process.output().text().contains("Netty transport: nio (media.transport: nio)"),
                "the transport line");
    }

    @Test
    void relaysRtpBothWaysAndCarriesTheConversationId(TestInfo test) throws Exception {
        String conv = "conv-relay-1";
        String dir = name(test);
        try (Tshark capture = Tshark.start(node.testDir(dir), "rtp", Duration.ofSeconds(40), node.uacMediaPort, node.uasMediaPort);
             Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", conv).set("uui", hex(conv)).start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", conv)
                    .pause(Duration.ofSeconds(3)).run();
            Sipp.Result support = uas.await();
            assertCallSucceeded(uac, support);

            Map<Tshark.Flow, Integer> flows = capture.stopAndCountRtp(node.uacMediaPort, node.uasMediaPort);
            // g711a.pcap sends a 30 ms packet; 3 s of talk is about 100 packets each way on each leg.
            int min = 40;
            assertAtLeast(flows, "carrier -> Warmline", node.uacMediaPort, -1, PCMA, min);
            assertAtLeast(flows, "Warmline -> carrier", -1, node.uacMediaPort, PCMA, min);
            assertAtLeast(flows, "Warmline -> support line", -1, node.uasMediaPort, -1, min);
            assertAtLeast(flows, "support line echo -> Warmline", node.uasMediaPort, -1, -1, min);
            flows.keySet().forEach(f -> {
                int warmlineSide = f.srcPort() == node.uacMediaPort || f.srcPort() == node.uasMediaPort ? f.dstPort() : f.srcPort();
                assertTrue(node.isWarmlinePort(warmlineSide), "RTP through a port outside media.rtp-ports: " + f);
            });
        }
    }

    @Test
    void generatesAConversationIdWhenTheCarrierSendsNone(TestInfo test) throws Exception {
        String dir = name(test);
        try (Sipp.Running uas = node.uas(dir, "uas-echo.xml").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma").pause(Duration.ofMillis(300)).run();
            Sipp.Result support = uas.await();
            assertCallSucceeded(uac, support);
            String[] headers = loggedHeaders(support);
            assertFalse(headers[0].isEmpty(), "no X-Conversation-ID reached the support line");
            assertEquals(hex(headers[0]), headers[1].toLowerCase(java.util.Locale.ROOT),
                    "User-to-User is not the hex of X-Conversation-ID " + headers[0]);
        }
    }

    @Test
    void takesTheConversationIdFromUserToUser(TestInfo test) throws Exception {
        String conv = "from-uui-77";
        String dir = name(test);
        try (Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", conv).set("uui", hex(conv)).start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma").set("uui", hex(conv))
                    .pause(Duration.ofMillis(300)).run();
            assertCallSucceeded(uac, uas.await());
        }
    }

    @Test
    void carrierOfferingBothCodecsIsAnsweredWithOneItCanSend(TestInfo test) throws Exception {
        String conv = "conv-both-codecs";
        String dir = name(test);
        try (Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", conv).start().awaitListening()) {
            // uac-pcap.xml fails the call when the answer does not accept PCMA, the codec of its pcap.
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").set("conv", conv).pause(Duration.ofMillis(300)).run();
            assertCallSucceeded(uac, uas.await());
        }
    }

    @Test
    void byeFromTheSupportLineEndsTheCarrierLeg(TestInfo test) throws Exception {
        String conv = "conv-uas-bye";
        String dir = name(test);
        try (Sipp.Running uas = node.uas(dir, "uas-bye.xml").set("conv", conv).pause(Duration.ofSeconds(1)).start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-wait-bye.xml", "1000").set("offer", "pcma").set("conv", conv)
                    .timeout(Duration.ofSeconds(20)).run();
            assertCallSucceeded(uac, uas.await());
        }
    }

    @Test
    void cancelBeforeAnswerReachesTheSupportLine(TestInfo test) throws Exception {
        String conv = "conv-cancel";
        String dir = name(test);
        try (Sipp.Running uas = node.uas(dir, "uas-ring.xml").set("conv", conv).timeout(Duration.ofSeconds(20)).start().awaitListening()) {
            // uac-cancel.xml needs 200 to its CANCEL and 487 to its INVITE; uas-ring.xml needs the CANCEL.
            Sipp.Result uac = node.uac(dir, "uac-cancel.xml", "1000").set("offer", "pcma").set("conv", conv)
                    .pause(Duration.ofMillis(500)).run();
            assertCallSucceeded(uac, uas.await());
        }
    }

    @Test
    void busySupportLineReachesTheCarrierAs486(TestInfo test) throws Exception {
        String conv = "conv-busy";
        String dir = name(test);
        try (Sipp.Running uas = node.uas(dir, "uas-486.xml").set("conv", conv).start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-expect-486.xml", "1000").set("offer", "pcma").set("conv", conv).run();
            assertCallSucceeded(uac, uas.await());
        }
    }

    @Test
    void pcmaCarrierToPcmuOnlySupportLineIsTranscoded(TestInfo test) throws Exception {
        String conv = "conv-transcode";
        String dir = name(test);
        try (Tshark capture = Tshark.start(node.testDir(dir), "rtp", Duration.ofSeconds(40), node.uacMediaPort, node.uasMediaPort);
             Sipp.Running uas = node.uas(dir, "uas-echo-pcmu-only.xml").set("conv", conv).start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", conv)
                    .pause(Duration.ofSeconds(3)).run();
            assertCallSucceeded(uac, uas.await());

            Map<Tshark.Flow, Integer> flows = capture.stopAndCountRtp(node.uacMediaPort, node.uasMediaPort);
            int min = 40;
            assertAtLeast(flows, "carrier -> Warmline (PCMA)", node.uacMediaPort, -1, PCMA, min);
            assertAtLeast(flows, "Warmline -> support line (PCMU)", -1, node.uasMediaPort, PCMU, min);
            assertAtLeast(flows, "support line echo -> Warmline (PCMU)", node.uasMediaPort, -1, PCMU, min);
            assertAtLeast(flows, "Warmline -> carrier (PCMA)", -1, node.uacMediaPort, PCMA, min);
            assertEquals(0, Tshark.count(flows, -1, node.uasMediaPort, PCMA), "PCMA leaked to the PCMU-only leg: " + flows);
            assertEquals(0, Tshark.count(flows, -1, node.uacMediaPort, PCMU), "PCMU sent to the PCMA-only leg: " + flows);
        }
    }

    @Test
    void answersTheSupportLinesDigestChallenge(TestInfo test) throws Exception {
        String conv = "conv-digest";
        String dir = name(test);
        try (Sipp.Running uas = node.uas(dir, "uas-digest.xml").set("conv", conv)
                .key("auth_user", PeerNode.TRUNK_USER).key("auth_password", node.trunkPassword).start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", conv)
                    .pause(Duration.ofMillis(500)).run();
            assertCallSucceeded(uac, uas.await());
        }
    }

    @Test
    void refusesAnInviteFromAnAddressTheTrunkDoesNotAllow(TestInfo test) throws Exception {
        // 127.0.0.2 is loopback too, but the trunk allows only 127.0.0.1/32. No support line runs: a call routed
        // anyway would fail with something other than 403.
        Sipp.Result uac = Sipp.uac("uac", "uac-expect-403.xml", node.sipAddress(), "1000", node.testDir(name(test)))
                .local("127.0.0.2", node.uacSipPort, node.uacMediaPort).set("offer", "pcma").timeout(Duration.ofSeconds(15)).run();
        assertTrue(uac.succeeded(), uac::describe);
        assertTrue(uac.messages().contains("SIP/2.0 403"), uac::describe);
    }

    @Test
    void refusesANumberTheTrunkDoesNotOwn(TestInfo test) throws Exception {
        Sipp.Result uac = node.uac(name(test), "uac-expect-403.xml", "3000").set("offer", "pcma")
                .timeout(Duration.ofSeconds(15)).run();
        assertTrue(uac.succeeded(), uac::describe);
    }

    static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String name(TestInfo test) {
        return test.getTestMethod().orElseThrow().getName();
    }

    private static String[] loggedHeaders(Sipp.Result support) throws Exception {
        List<String> lines = support.logLines();
        for (String line : lines) {
            Matcher m = LOGGED_HEADERS.matcher(line);
            if (m.find()) {
                return new String[] {m.group(1), m.group(2)};
            }
        }
        throw new AssertionError("the support line logged no conversation headers: " + lines);
    }

    static void assertCallSucceeded(Sipp.Result uac, Sipp.Result uas) {
        assertTrue(uac.succeeded() && uas.succeeded(), () -> uac.describe() + "\n\n" + uas.describe());
    }

    static void assertAtLeast(Map<Tshark.Flow, Integer> flows, String what, int srcPort, int dstPort, int pt, int min) {
        int n = Tshark.count(flows, srcPort, dstPort, pt);
        assertTrue(n >= min, what + ": " + n + " RTP packets" + (pt >= 0 ? " with PT " + pt : "") + ", expected at least "
                + min + "; captured flows: " + flows);
    }
}
