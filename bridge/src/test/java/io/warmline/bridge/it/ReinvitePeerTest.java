package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * Re-INVITEs in a bridged call between real SIPp peers (issue 2, "Dialogs"): hold and unhold reflected to the
 * other leg in both directions, a codec change that stays on its leg (the relay transcodes), and a session-timer
 * refresh (RFC 4028). The scenarios fail by themselves on a wrong direction, a missing reflected re-INVITE or a
 * wrong answer; RTP is checked on the wire with tshark.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReinvitePeerTest {
    private static final int PCMU = 0;
    private static final int PCMA = 8;

    private PeerNode node;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.start("ReinvitePeerTest", Duration.ofSeconds(2));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void carrierHoldAndUnholdAreReflectedToTheSupportLine(TestInfo test) throws Exception {
        String dir = name(test);
        // uac-hold.xml needs a=recvonly in the 200 to its sendonly re-INVITE and no hold direction after the unhold;
        // uas-held.xml needs a re-INVITE with a=sendonly (new o= version), then one without a hold direction.
        try (Sipp.Running uas = node.uas(dir, "uas-held.xml").set("conv", "conv-hold").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-hold.xml", "1000").set("offer", "pcma").set("conv", "conv-hold")
                    .pause(Duration.ofMillis(600)).run();
            Sipp.Result support = uas.await();
            assertCallSucceeded(uac, support);
            assertTrue(support.logLines().stream().anyMatch(l -> l.contains("hold re-INVITE") && l.contains("direction=sendonly")),
                    support::describe);
            assertEquals(2, reinvitesReceived(support), support::describe);
        }
    }

    @Test
    void unholdArrivingWhileTheSupportLineStillAnswersTheHoldIsReflectedAfterwards(TestInfo test) throws Exception {
        String dir = name(test);
        // The support line takes 1 s to answer the reflected hold; the carrier unholds 0.7 s after holding, so the
        // unhold reaches Warmline while its hold re-INVITE to the support line is still pending (RFC 3261 section
        // 14.1 forbids a second one then). It has to follow once the first completes: uas-held.xml fails unless an
        // unhold re-INVITE arrives before the carrier's BYE (0.7 s after the unhold).
        try (Sipp.Running uas = node.uas(dir, "uas-held.xml").set("answer_delay", "1000").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-hold.xml", "1000").set("offer", "pcma").pause(Duration.ofMillis(700)).run();
            Sipp.Result support = uas.await();
            assertCallSucceeded(uac, support);
        }
    }

    @Test
    void noRtpIsSentToTheCarrierWhileItHoldsWithSendonly(TestInfo test) throws Exception {
        String dir = name(test);
        // RFC 3264 section 6.1: Warmline answers the carrier's sendonly with recvonly, so it must not send to it until
        // the unhold. The SIPp support line keeps echoing whatever it gets (it does not honour its own recvonly),
        // so this checks that Warmline applies the direction it agreed to rather than relaying blindly.
        try (Tshark capture = Tshark.start(node.testDir(dir), "capture", Duration.ofSeconds(40),
                node.uacMediaPort, node.uasMediaPort, node.uacSipPort);
             Sipp.Running uas = node.uas(dir, "uas-held.xml").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-hold.xml", "1000").set("offer", "pcma").pause(Duration.ofMillis(1500)).run();
            assertCallSucceeded(uac, uas.await());

            List<Tshark.Packet> packets = capture.stopAndReadPackets(
                    new int[] {node.uacMediaPort, node.uasMediaPort}, new int[] {node.uacSipPort});
            double held = packets.stream().filter(p -> p.dstPort() == node.uacSipPort && p.isResponse(200, 2, "INVITE"))
                    .mapToDouble(Tshark.Packet::time).min().orElseThrow(() -> new AssertionError("no 200 to the hold"));
            double unheld = packets.stream().filter(p -> p.srcPort() == node.uacSipPort && "INVITE".equals(p.method())
                    && p.cseq() == 3).mapToDouble(Tshark.Packet::time).min()
                    .orElseThrow(() -> new AssertionError("no unhold re-INVITE captured"));
            // 50 ms for packets already in flight when the hold was answered.
            Map<String, Long> during = flows(packets, p -> p.time() > held + 0.05 && p.time() < unheld);
            assertAtLeast(during, "carrier->W PT " + PCMA, 25, "\nwhile held: " + during);
            assertEquals(0L, during.entrySet().stream().filter(e -> e.getKey().startsWith("W->carrier"))
                    .mapToLong(Map.Entry::getValue).sum(), "RTP sent to the carrier while it holds (sendonly): " + during);
        }
    }

    @Test
    void carrierHoldWithInactiveIsReflectedAsInactive(TestInfo test) throws Exception {
        String dir = name(test);
        try (Sipp.Running uas = node.uas(dir, "uas-held.xml").set("hold", "inactive").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-hold.xml", "1000").set("offer", "pcma").set("hold", "inactive")
                    .pause(Duration.ofMillis(400)).run();
            assertCallSucceeded(uac, uas.await());
        }
    }

    @Test
    void supportLineHoldAndUnholdAreReflectedToTheCarrier(TestInfo test) throws Exception {
        String dir = name(test);
        try (Sipp.Running uas = node.uas(dir, "uas-hold.xml").set("conv", "conv-held").pause(Duration.ofMillis(600))
                .start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-held.xml", "1000").set("offer", "pcma").set("conv", "conv-held")
                    .pause(Duration.ofMillis(300)).run();
            Sipp.Result support = uas.await();
            assertCallSucceeded(uac, support);
            assertEquals(2, reinvitesReceived(uac), uac::describe);
        }
    }

    @Test
    void codecChangeOnTheCarrierLegStaysOnThatLegAndIsTranscoded(TestInfo test) throws Exception {
        String dir = name(test);
        Path pcmu = PcapFiles.alawToUlaw(PeerEnvironment.pcap(), node.testDir(dir).resolve("g711u.pcap"));
        try (Tshark capture = Tshark.start(node.testDir(dir), "capture", Duration.ofSeconds(40),
                node.uacMediaPort, node.uasMediaPort, node.uacSipPort);
             // uas-echo.xml fails on any re-INVITE: the support leg must not be renegotiated.
             Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", "conv-codec").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-codec-change.xml", "1000").key("pcap_pcmu", pcmu.toString())
                    .set("conv", "conv-codec").pause(Duration.ofMillis(1500)).run();
            assertCallSucceeded(uac, uas.await());

            List<Tshark.Packet> packets = capture.stopAndReadPackets(
                    new int[] {node.uacMediaPort, node.uasMediaPort}, new int[] {node.uacSipPort});
            double changed = packets.stream()
                    .filter(p -> p.dstPort() == node.uacSipPort && p.isResponse(200, 2, "INVITE"))
                    .mapToDouble(Tshark.Packet::time).findFirst()
                    .orElseThrow(() -> new AssertionError("no 200 to the re-INVITE captured"));
            Map<String, Long> before = flows(packets, p -> p.time() < changed);
            Map<String, Long> after = flows(packets, p -> p.time() > changed);
            String where = "\nbefore the re-INVITE's 200: " + before + "\nafter: " + after + "\nWarmline:\n"
                    + node.process.output().tail(20);
            int min = 25; // 1.5 s of 30 ms packets is 50
            assertAtLeast(before, "carrier->W PT " + PCMA, min, where);
            assertAtLeast(before, "W->carrier PT " + PCMA, min, where);
            assertAtLeast(after, "carrier->W PT " + PCMU, min, where);
            assertAtLeast(after, "W->carrier PT " + PCMU, min, where);
            assertEquals(0L, after.getOrDefault("W->carrier PT " + PCMA, 0L), "PCMA sent to the carrier after it switched to PCMU" + where);
            // The support leg keeps PCMA both ways for the whole call.
            assertAtLeast(after, "W->support PT " + PCMA, min, where);
            assertAtLeast(after, "support->W PT " + PCMA, min, where);
            assertFalse(before.containsKey("W->support PT " + PCMU) || after.containsKey("W->support PT " + PCMU),
                    "PCMU on the support leg" + where);
        }
    }

    @Test
    void sessionTimerIsNegotiatedAndARefreshIsAnswered(TestInfo test) throws Exception {
        String dir = name(test);
        // uac-session-timer.xml needs Session-Expires (>= 90, refresher=uac) and Require: timer in both 200s;
        // uas-echo.xml fails if the refresh is passed on to the support line as a re-INVITE.
        try (Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", "conv-timer").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-session-timer.xml", "1000").set("offer", "pcma").set("conv", "conv-timer")
                    .pause(Duration.ofMillis(700)).run();
            assertCallSucceeded(uac, uas.await());
            List<TracedMessage> oks = uac.tracedMessages().stream()
                    .filter(m -> !m.sent() && m.startLine().startsWith("SIP/2.0 200") && m.header("CSeq").endsWith("INVITE"))
                    .toList();
            assertEquals(2, oks.stream().map(m -> m.header("CSeq")).distinct().count(), uac::describe);
            for (TracedMessage ok : oks) {
                String se = ok.header("Session-Expires");
                assertNotNull(se, ok.text());
                // RFC 4028 section 9: not above what was asked (90), not below Min-SE (90).
                assertEquals("90", se.split(";")[0].strip(), ok.text());
                assertTrue(ok.body().contains("m=audio "), "the refresh's 200 has no SDP answer:\n" + ok.text());
            }
        }
    }

    /** INVITEs received inside the dialog (a To tag), retransmissions not counted. */
    private static long reinvitesReceived(Sipp.Result r) throws Exception {
        return r.tracedMessages().stream()
                .filter(m -> !m.sent() && m.startLine().startsWith("INVITE ") && m.header("To").contains("tag="))
                .map(m -> m.header("CSeq")).distinct().count();
    }

    /** RTP packet counts per "who->who PT n", where who is carrier, support or W (Warmline). */
    private Map<String, Long> flows(List<Tshark.Packet> packets, Predicate<Tshark.Packet> when) {
        return packets.stream().filter(Tshark.Packet::isRtp).filter(when)
                .collect(Collectors.groupingBy(p -> who(p.srcPort()) + "->" + who(p.dstPort()) + " PT " + p.payloadType(),
                        java.util.TreeMap::new, Collectors.counting()));
    }

    private String who(int port) {
        if (port == node.uacMediaPort) {
            return "carrier";
        }
        if (port == node.uasMediaPort) {
            return "support";
        }
        return node.isWarmlinePort(port) ? "W" : "port" + port;
    }

    private static void assertAtLeast(Map<String, Long> flows, String flow, int min, String where) {
        long n = flows.getOrDefault(flow, 0L);
        assertTrue(n >= min, flow + ": " + n + " packets, expected at least " + min + where);
    }

    private static String name(TestInfo test) {
        return test.getTestMethod().orElseThrow().getName();
    }
}
