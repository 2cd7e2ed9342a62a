package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Early media (issue 2: "180/183 handled, with early media relayed to the caller"): the support line answers 183
 * with SDP and plays speech before its 200. The carrier must get a 183 whose SDP is Warmline's own address and
 * port, and tshark must see RTP from Warmline to the carrier's media port before the 200 OK reaches the carrier.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EarlyMediaPeerTest {
    private static final Pattern EARLY = Pattern.compile("early-media c=(\\S*) m=(\\S*)");
    private static final Duration EARLY_MEDIA_TIME = Duration.ofMillis(1500);

    private PeerNode node;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        // native epoll asked for explicitly (CarrierCallPeerTest runs NIO)
        node = PeerNode.startWithMedia("EarlyMediaPeerTest", Duration.ofSeconds(2), "transport: epoll");
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void runsOnNativeEpoll() {
        assertTrue(node.process.output().text().contains("Netty transport: epoll (media.transport: epoll)"),
                "the transport line");
    }

    @Test
    void earlyMediaFromTheSupportLineReachesTheCarrierBeforeTheAnswer() throws Exception {
        String dir = "early-media";
        try (Tshark capture = Tshark.start(node.testDir(dir), "capture", Duration.ofSeconds(40),
                node.uacMediaPort, node.uasMediaPort, node.uacSipPort);
             Sipp.Running uas = node.uas(dir, "uas-early-media.xml").key("pcap", PeerEnvironment.pcap().toString())
                     .set("conv", "conv-early").pause(EARLY_MEDIA_TIME).start().awaitListening()) {
            // uac-early-media.xml fails without a 183 carrying SDP, or when the 200's c=/m= differ from the 183's.
            Sipp.Result uac = node.uac(dir, "uac-early-media.xml", "1000").set("offer", "pcma").set("conv", "conv-early")
                    .pause(Duration.ofMillis(500)).run();
            assertCallSucceeded(uac, uas.await());

            Matcher early = uac.logLines().stream().map(EARLY::matcher).filter(Matcher::find).findFirst()
                    .orElseThrow(() -> new AssertionError("no 183 SDP logged\n" + uac.describe()));
            assertEquals(PeerEnvironment.LOOPBACK, early.group(1), "c= of the 183 is not Warmline's advertised address");
            int earlyPort = Integer.parseInt(early.group(2));
            assertTrue(node.isWarmlinePort(earlyPort), "m= port of the 183 is not one of Warmline's: " + earlyPort);
            assertNotEquals(node.uasMediaPort, earlyPort, "the support line's media port leaked to the carrier");

            List<Tshark.Packet> packets = capture.stopAndReadPackets(
                    new int[] {node.uacMediaPort, node.uasMediaPort}, new int[] {node.uacSipPort});
            double progress = firstTime(packets, p -> p.dstPort() == node.uacSipPort && p.isResponse(183, 1, "INVITE"), "183");
            double answer = firstTime(packets, p -> p.dstPort() == node.uacSipPort && p.isResponse(200, 1, "INVITE"), "200");
            long toCarrierEarly = packets.stream().filter(Tshark.Packet::isRtp)
                    .filter(p -> p.dstPort() == node.uacMediaPort && p.srcPort() == earlyPort)
                    .filter(p -> p.time() >= progress && p.time() < answer).count();
            long fromSupportEarly = packets.stream().filter(Tshark.Packet::isRtp)
                    .filter(p -> p.srcPort() == node.uasMediaPort && node.isWarmlinePort(p.dstPort()) && p.time() < answer)
                    .count();
            String where = String.format(" (183 at %.3f, 200 at %.3f; captured in %s)", progress, answer,
                    node.testDir(dir).resolve("capture.pcapng.packets.csv"));
            // 1.5 s of 30 ms packets is 50; allow for a slow start of SIPp's player.
            assertTrue(fromSupportEarly >= 20, "support line -> Warmline before the 200: " + fromSupportEarly + where);
            assertTrue(toCarrierEarly >= 20, "Warmline -> carrier between the 183 and the 200: " + toCarrierEarly + where);
        }
    }

    private static double firstTime(List<Tshark.Packet> packets, java.util.function.Predicate<Tshark.Packet> match,
            String what) {
        return packets.stream().filter(match).mapToDouble(Tshark.Packet::time).min()
                .orElseThrow(() -> new AssertionError("no " + what + " to the carrier captured"));
    }
}
