package io.warmline.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Re-INVITEs on an escalation's human leg, against the real node: the SIPp support line (sipp/uas-reinvite.xml)
 * answers PCMU, then re-INVITEs to move its media to another port with PCMA (RFC 3264 §8.3), to hold with sendonly
 * and to resume (§8.4), then hangs up. SIPp checks each answer (PCMA, recvonly to the hold, no hold direction
 * after the resume); tshark checks on the wire that Warmline's RTP moves to the new port with the new payload type,
 * stops while held and resumes.
 *
 * <p>The customer's voice leg is an answered browser offer that never completes ICE: the human's leg is bridged
 * with it all the same and is sent a frame every 20 ms.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscalationReinvitePeerTest {
    private static final int PCMU = 0;
    private static final int PCMA = 8;
    private static final String TRUNKS = """
            trunks:
              carrier:
                outbound: { address: "127.0.0.1:${uasSipPort}", transport: udp }
                codecs: [PCMU, PCMA]
                ring-timeout: 10s
            targets:
              support: { trunk: carrier, number: "2000" }
            """;

    private VoiceNode node;
    private String offer;

    @BeforeAll
    void start() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        offer = VoiceNode.browserAudioOffer();
        node = new VoiceNode("EscalationReinvitePeerTest", 20, "",
                VoiceNode.JVM_OPTIONS, TRUNKS, "60s");
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void mediaFollowsTheSupportLinesMoveCodecChangeHoldAndResume() throws Exception {
        String conv = "conv-reinvite";
        int oldPort = node.uasMediaPort;
        int newPort = node.uasMediaPort + 2;
        List<Tshark.Packet> packets;
        String escalation;
        try (Tshark capture = Tshark.start(node.testDir("reinvite"), "capture", Duration.ofSeconds(60), oldPort,
                newPort, node.uasSipPort);
                Sipp.Running uas = node.uas("reinvite", "uas-reinvite.xml").key("new_port", Integer.toString(newPort))
                        .set("conv", conv).pause(Duration.ofMillis(1500)).start().awaitListening()) {
            // Opened only now: a leg without ICE ends when its consent wait (30 s) runs out.
            VoiceNode.Reply leg = node.send("POST", "/v1/conversations/" + conv + "/voice", "application/sdp", offer,
                    "Bearer " + node.token(conv));
            assertEquals(201, leg.status(), leg.body());
            VoiceNode.Reply r = node.send("POST", "/v1/conversations/" + conv + "/escalations", "application/json",
                    "{\"target\":\"support\"}", "Bearer " + node.apiKey);
            assertEquals(201, r.status(), r.body());
            escalation = r.header("location");
            Sipp.Result support = uas.await();
            assertTrue(support.succeeded(), "support line: " + support.describe() + "\nWarmline:\n"
                    + node.process.output().tail(30));
            packets = capture.stopAndReadPackets(new int[] {oldPort, newPort}, new int[] {node.uasSipPort});
        }

        // The support line's three re-INVITEs (its CSeq 1, 2, 3) and Warmline's 200s to them. Warmline applies an
        // offer when it answers, so each phase runs from the 200 (plus 60 ms for a tick already in flight) to the
        // next re-INVITE's arrival.
        double moveAsked = request(packets, "INVITE", 1);
        double moved = okTo(packets, 1);
        double holdAsked = request(packets, "INVITE", 2);
        double held = okTo(packets, 2);
        double resumeAsked = request(packets, "INVITE", 3);
        double resumed = okTo(packets, 3);
        // The capture may stop before the BYE is written out; after it the leg sends nothing anyway.
        double bye = packets.stream().filter(p -> p.srcPort() == node.uasSipPort && "BYE".equals(p.method()))
                .mapToDouble(Tshark.Packet::time).min().orElse(Double.MAX_VALUE);
        Map<String, Long> before = flows(packets, t -> t < moveAsked, oldPort, newPort);
        Map<String, Long> afterMove = flows(packets, t -> t > moved + 0.06 && t < holdAsked, oldPort, newPort);
        Map<String, Long> whileHeld = flows(packets, t -> t > held + 0.06 && t < resumeAsked, oldPort, newPort);
        Map<String, Long> afterResume = flows(packets, t -> t > resumed + 0.06 && t < bye, oldPort, newPort);
        String where = "\nbefore the move: " + before + "\nafter the move: " + afterMove + "\nwhile held: "
                + whileHeld + "\nafter the resume: " + afterResume + "\nWarmline:\n" + node.process.output().tail(20);

        int min = 25; // 1.5 s of 20 ms packets is 75; the shared machine may starve the node for a while
        assertTrue(before.getOrDefault("W->old PT " + PCMU, 0L) >= min, "PCMU to the first port" + where);
        assertTrue(afterMove.getOrDefault("W->new PT " + PCMA, 0L) >= min, "PCMA to the new port" + where);
        assertEquals(0L, sum(afterMove, "W->old"), "RTP still sent to the old port" + where);
        assertEquals(0L, afterMove.getOrDefault("W->new PT " + PCMU, 0L), "PCMU after the switch to PCMA" + where);
        assertEquals(0L, sum(whileHeld, "W->"), "RTP sent while the support line holds with sendonly" + where);
        assertTrue(afterResume.getOrDefault("W->new PT " + PCMA, 0L) >= min, "RTP resumes after sendrecv" + where);
        assertEquals(0L, sum(afterResume, "W->old"), where);

        JsonNode state = node.send("GET", escalation, null, null, "Bearer " + node.apiKey).json();
        assertEquals("COMPLETED", state.path("state").asText(), state.toString());
        assertEquals(3, node.process.output().lines().stream()
                .filter(l -> l.contains("re-INVITE from target support accepted")).count(),
                node.process.output().tail(30));
        VoiceNode.Reply metrics = node.send("GET", "/metrics", null, null, "Bearer " + node.apiKey);
        assertEquals(200, metrics.status(), metrics.body());
        assertTrue(metrics.body().lines().anyMatch(l -> l.startsWith("warmline_escalations_reinvites_total{")
                && l.contains("outcome=\"accepted\"") && l.contains("target=\"support\"") && l.endsWith(" 3.0")),
                metrics.body().lines().filter(l -> l.contains("reinvites")).toList().toString());
    }

    private double request(List<Tshark.Packet> packets, String method, long cseq) {
        return packets.stream().filter(p -> p.srcPort() == node.uasSipPort && method.equals(p.method())
                && p.cseq() == cseq).mapToDouble(Tshark.Packet::time).min()
                .orElseThrow(() -> new AssertionError("no " + method + " " + cseq + " from the support line"));
    }

    private double okTo(List<Tshark.Packet> packets, long cseq) {
        return packets.stream().filter(p -> p.dstPort() == node.uasSipPort && p.isResponse(200, cseq, "INVITE"))
                .mapToDouble(Tshark.Packet::time).min()
                .orElseThrow(() -> new AssertionError("no 200 to the support line's re-INVITE " + cseq));
    }

    /** RTP packet counts per "who->who PT n": W (Warmline), old and new (the support line's two ports). */
    private static Map<String, Long> flows(List<Tshark.Packet> packets, DoublePredicate when, int oldPort,
            int newPort) {
        return packets.stream().filter(Tshark.Packet::isRtp).filter(p -> when.test(p.time()))
                .collect(Collectors.groupingBy(p -> who(p.srcPort(), oldPort, newPort) + "->"
                        + who(p.dstPort(), oldPort, newPort) + " PT " + p.payloadType(), TreeMap::new,
                        Collectors.counting()));
    }

    private static String who(int port, int oldPort, int newPort) {
        return port == oldPort ? "old" : port == newPort ? "new" : "W";
    }

    private static long sum(Map<String, Long> flows, String prefix) {
        return flows.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue)
                .sum();
    }
}
