package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A carrier on SIP over TCP (issue 2: "SIP listen addresses (UDP and TCP)"): SIPp's UAC uses one TCP connection
 * ({@code -t t1}) to Warmline's TCP listener; the support line stays on UDP. RTP is counted on the wire by tshark.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TcpPeerTest {
    private static final int PCMA = 8;

    private PeerNode node;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.start("TcpPeerTest", Duration.ofSeconds(2));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void carrierOverTcpIsBridgedWithRtpBothWays() throws Exception {
        String dir = "tcp-call";
        try (Tshark capture = Tshark.start(node.testDir(dir), "rtp", Duration.ofSeconds(40), node.uacMediaPort, node.uasMediaPort);
             Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", "conv-tcp").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").arg("-t", "t1").set("offer", "pcma")
                    .set("conv", "conv-tcp").pause(Duration.ofSeconds(2)).run();
            assertCallSucceeded(uac, uas.await());
            assertAllTcp(uac);

            Map<Tshark.Flow, Integer> flows = capture.stopAndCountRtp(node.uacMediaPort, node.uasMediaPort);
            int min = 30; // 2 s of 30 ms packets is about 66
            assertAtLeast(flows, "carrier -> Warmline", node.uacMediaPort, -1, PCMA, min);
            assertAtLeast(flows, "Warmline -> carrier", -1, node.uacMediaPort, PCMA, min);
            assertAtLeast(flows, "Warmline -> support line", -1, node.uasMediaPort, -1, min);
            assertAtLeast(flows, "support line echo -> Warmline", node.uasMediaPort, -1, -1, min);
        }
    }

    @Test
    void byeFromTheSupportLineReachesATcpCarrier() throws Exception {
        String dir = "tcp-uas-bye";
        try (Sipp.Running uas = node.uas(dir, "uas-bye.xml").set("conv", "conv-tcp-bye").pause(Duration.ofMillis(800))
                .start().awaitListening()) {
            // uac-wait-bye.xml needs Warmline's BYE, which must come over TCP (Contact ;transport=TCP).
            Sipp.Result uac = node.uac(dir, "uac-wait-bye.xml", "1000").arg("-t", "t1").set("offer", "pcma")
                    .set("conv", "conv-tcp-bye").timeout(Duration.ofSeconds(20)).run();
            assertCallSucceeded(uac, uas.await());
            assertAllTcp(uac);
            assertTrue(uac.first(false, "BYE ").transport().equals("TCP"), uac::describe);
        }
    }

    private static void assertAllTcp(Sipp.Result uac) throws Exception {
        List<TracedMessage> messages = uac.tracedMessages();
        assertTrue(messages.size() >= 5, uac::describe);
        for (TracedMessage m : messages) {
            assertTrue(m.transport().equals("TCP"), () -> "not over TCP: " + m.startLine() + "\n" + uac.describe());
        }
        TracedMessage ok = uac.first(false, "SIP/2.0 200");
        assertTrue(ok.header("Via").startsWith("SIP/2.0/TCP"), ok::text);
    }

    private static void assertAtLeast(Map<Tshark.Flow, Integer> flows, String what, int srcPort, int dstPort, int pt, int min) {
        int n = Tshark.count(flows, srcPort, dstPort, pt);
        assertTrue(n >= min, what + ": " + n + " RTP packets, expected at least " + min + "; flows: " + flows);
    }
}
