package io.warmline.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RTCP on a SIP leg with a peer that sends it (SIPp does not): baresip calls a running Warmline, whose terminated
 * call (a DTMF target, so the caller's audio is decoded) reaches a SIPp support line that hangs up after 14 s. The
 * caller leg's SRs give baresip an LSR; baresip's receiver reports about our stream give the leg a round-trip time
 * (RFC 3550 §6.4.1) and the far end's loss, read from the "Call quality" line Warmline logs at the end of the call.
 * The callee leg's peer (SIPp) sends no RTCP: its round trip stays unknown and its loss unreported.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RtcpPeerTest {

    private static final Pattern QUALITY = Pattern.compile("Call quality: caller rtt (-?[\\d.]+) ms, loss in ([\\d.]+) %, "
            + "loss out ([\\d.]+) %, fec (\\w+), R ([\\d.]+), MOS ([\\d.]+), rtcp in/out (\\d+)/(\\d+), "
            + "discarded in ([\\d.]+) %, own: late out ([\\d.]+) %, skipped (\\d+), stall drops (\\d+);");

    private DtmfPeerNode node;

    @BeforeAll
    void start() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = new DtmfPeerNode("RtcpPeerTest");
        node.target("listen", "carrier", "2005", "W", "1005").start();
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void baresipsReportsGiveTheCallerLegARoundTripTimeAndNoLoss() throws Exception {
        String test = "baresip-rtcp";
        Path dir = node.testDir(test);
        Path microphone = Speech.toWav(TestAudio.silence(40_000), dir.resolve("quiet.wav"));
        Path line = new RtpPcapWriter(RtpPcapWriter.Law.ALAW, 0x2005).silence(Duration.ofSeconds(14))
                .write(dir.resolve("line.pcap"));
        try (Sipp.Running support = node.uas(test, "uas-ivr.xml").noEcho().key("prompt", line.toString())
                .pause(Duration.ofSeconds(14)).timeout(Duration.ofSeconds(40)).start().awaitListening();
             Baresip caller = Baresip.start(dir.resolve("baresip"), "carrier", microphone,
                     Ports.sip(PeerEnvironment.LOOPBACK))) {
            caller.dial("sip:1005@" + node.sipAddress());
            assertTrue(caller.awaitLog("Call established", Duration.ofSeconds(10)), caller::log);
            assertTrue(support.await().succeeded(), "the support line hangs up after 14 s");
        }
        assertTrue(node.output().await(l -> QUALITY.matcher(l).find(), Duration.ofSeconds(10)), () -> node.log(40));
        String logged = node.output().lines().stream().filter(l -> QUALITY.matcher(l).find()).findFirst()
                .orElseThrow();
        Matcher m = QUALITY.matcher(logged);
        assertTrue(m.find());
        double rtt = Double.parseDouble(m.group(1));
        // -1 means no report gave one. RTCP counts LSR/DLSR in 1/65536 s (RFC 3550 §6.4.1), so a loopback round
        // trip may well come out as 0 units.
        assertTrue(rtt >= 0 && rtt < 500, "round-trip time from baresip's reports: " + logged);
        assertEquals(0.0, Double.parseDouble(m.group(3)), "baresip reports none of our packets lost: " + logged);
        assertEquals("off", m.group(4), "no loss reported, so no FEC (and G.711 has none): " + logged);
        assertTrue(Integer.parseInt(m.group(7)) >= 2 && Integer.parseInt(m.group(8)) >= 2,
                "RTCP both ways during 14 s: " + logged);
        assertTrue(logged.contains("; callee rtt -1.00 ms, loss in "), "SIPp sends no RTCP: " + logged);
        assertTrue(logged.matches(".*; callee .*loss out unreported, .*rtcp in/out 0/\\d+.*"), logged);
        // The MOS is not asserted: the jitter buffer's delay is in it, and a starved loop grows that delay for a while.
        // What our own stalls cost is logged apart from the network's loss.
    }
}
