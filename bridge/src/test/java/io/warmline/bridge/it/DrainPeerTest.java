package io.warmline.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM drain (DESIGN "SIGTERM drains"): with a call in progress the process is sent SIGTERM; a new INVITE gets
 * 503; the call in progress continues until {@code node.drain-time} and is then ended with BYE to both peers; the
 * process exits 0.
 */
class DrainPeerTest {
    private static final Duration DRAIN = Duration.ofSeconds(4);

    private PeerNode node;

    @BeforeEach
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.start("DrainPeerTest", DRAIN);
    }

    @AfterEach
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void sigtermRefusesNewCallsAndEndsCurrentOnesWithByeAtTheDrainDeadline() throws Exception {
        String conv = "conv-drain";
        String dir = "drain";
        try (Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", conv).timeout(Duration.ofSeconds(30))
                .start().awaitListening();
             Sipp.Running caller = node.uac(dir, "uac-wait-bye.xml", "1000").set("offer", "pcma").set("conv", conv)
                     .timeout(Duration.ofSeconds(30)).start()) {
            assertTrue(caller.awaitMessage("ACK ", Duration.ofSeconds(10)), "the call in progress was not set up");

            long sigterm = System.nanoTime();
            node.process.terminate();
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (node.process.httpGet("/readyz") == 200) {
                assertTrue(System.nanoTime() < deadline, "/readyz still 200 three seconds after SIGTERM");
                Integer early = node.process.awaitExit(Duration.ofMillis(20));
                assertNull(early, "Warmline exited right after SIGTERM instead of draining");
            }

            Sipp.Result refused = Sipp.uac("late-uac", "uac-expect-503.xml", node.sipAddress(), "1000", node.testDir(dir))
                    .local(PeerEnvironment.LOOPBACK, Ports.sip(PeerEnvironment.LOOPBACK), Ports.udpBlock(PeerEnvironment.LOOPBACK, 4))
                    .set("offer", "pcma").timeout(Duration.ofSeconds(10)).run();
            assertTrue(refused.succeeded(), () -> "a new INVITE while draining did not get 503:\n" + refused.describe());

            Sipp.Result carrier = caller.await();
            long byeAfter = Duration.ofNanos(System.nanoTime() - sigterm).toMillis();
            Sipp.Result support = uas.await();
            CarrierCallPeerTest.assertCallSucceeded(carrier, support);
            assertTrue(byeAfter >= DRAIN.toMillis() - 500,
                    "the call was ended " + byeAfter + " ms after SIGTERM, before the drain time of " + DRAIN);
            assertTrue(byeAfter <= DRAIN.toMillis() + 4000,
                    "the call was ended " + byeAfter + " ms after SIGTERM, long after the drain time of " + DRAIN);

            Integer exit = node.process.awaitExit(Duration.ofSeconds(15));
            assertEquals(Integer.valueOf(0), exit, () -> "exit code after drain; output:\n" + node.process.output().tail(40));
        }
    }
}
