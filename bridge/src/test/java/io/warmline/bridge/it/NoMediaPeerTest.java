package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The no-media watchdog (issue 2: "A leg with no media for a configured time is hung up with a typed reason"):
 * with {@code media.no-media-timeout: 2s} a call where neither peer sends RTP is ended by Warmline with a BYE to
 * both; a call with RTP flowing outlives the timeout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoMediaPeerTest {
    private static final Duration NO_MEDIA = Duration.ofSeconds(2);

    private PeerNode node;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.start("NoMediaPeerTest", Duration.ofSeconds(2), PeerNode.RTP_PORTS, NO_MEDIA);
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void silentCallIsHungUpOnBothLegs() throws Exception {
        String dir = "silent";
        // uas-echo.xml echoes nothing when nothing arrives; both scenarios need a BYE to end successfully.
        try (Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", "conv-silent").timeout(Duration.ofSeconds(20))
                .start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-silent.xml", "1000").set("offer", "pcma").set("conv", "conv-silent")
                    .timeout(Duration.ofSeconds(20)).run();
            Sipp.Result support = uas.await();
            assertCallSucceeded(uac, support);

            assertByeWithinBounds("carrier", uac, uac.first(true, "ACK "), uac.first(false, "BYE "));
            assertByeWithinBounds("support line", support, support.first(false, "ACK "), support.first(false, "BYE "));
            assertTrue(node.process.output().await(l -> l.contains("ENDED: no-media-from-"), Duration.ofSeconds(2)),
                    () -> "Warmline logged no no-media end reason:\n" + node.process.output().tail(30));
        }
    }

    @Test
    void callWithRtpOutlivesTheTimeout() throws Exception {
        String dir = "talking";
        // uac-pcap.xml sends the BYE itself after 4 s of RTP; a BYE from Warmline first would fail both scenarios.
        try (Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", "conv-talking").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", "conv-talking")
                    .pause(NO_MEDIA.multipliedBy(2)).run();
            assertCallSucceeded(uac, uas.await());
        }
    }

    /** The BYE comes after the configured silence (less a little: the watchdog starts with the offer) and soon after. */
    private static void assertByeWithinBounds(String who, Sipp.Result r, TracedMessage ack, TracedMessage bye) {
        long ms = Duration.between(ack.at(), bye.at()).toMillis();
        assertTrue(ms >= NO_MEDIA.toMillis() - 500 && ms <= NO_MEDIA.toMillis() + 4000,
                () -> who + ": BYE " + ms + " ms after the ACK, expected " + NO_MEDIA.toMillis() + " ms (-500/+4000)\n"
                        + r.describe());
    }
}
