package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * RTP port exhaustion (issue 2: "exhaustion answers the INVITE with 503, never crashes"): {@code media.rtp-ports}
 * holds 4 ports, the smallest range the config accepts, i.e. two RTP/RTCP pairs, exactly what one bridged call
 * needs. With one call up a second INVITE gets 503; once the first call has ended its ports are free again and a
 * third call goes through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortExhaustionPeerTest {
    private static final int PORTS = 4;

    private PeerNode node;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.start("PortExhaustionPeerTest", Duration.ofSeconds(2), PORTS, Duration.ofSeconds(30));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void secondCallGets503AndPortsAreReleasedWhenTheFirstEnds() throws Exception {
        try (Sipp.Running uas = node.uas("first", "uas-echo.xml").set("conv", "conv-first").start().awaitListening();
             Sipp.Running first = node.uac("first", "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", "conv-first")
                     .pause(Duration.ofSeconds(3)).start()) {
            assertTrue(first.awaitMessage("ACK ", Duration.ofSeconds(10)), "the first call was not set up");

            Sipp.Result second = Sipp.uac("uac", "uac-expect-503.xml", node.sipAddress(), "1000", node.testDir("second"))
                    .local(LOOPBACK, Ports.sip(LOOPBACK), Ports.udpBlock(LOOPBACK, 4)).set("offer", "pcma")
                    .timeout(Duration.ofSeconds(10)).run();
            assertTrue(second.succeeded(), () -> "the second call did not get 503:\n" + second.describe());
            assertTrue(node.process.output().await(l -> l.contains("rtp-ports-exhausted"), Duration.ofSeconds(2)),
                    () -> "the 503 was not for RTP port exhaustion:\n" + node.process.output().tail(30));
            assertTrue(first.isAlive(), "the first call ended while the second was refused");

            assertCallSucceeded(first.await(), uas.await());
        }

        awaitRtpPortsUnbound(Duration.ofSeconds(5));
        try (Sipp.Running uas = node.uas("third", "uas-echo.xml").set("conv", "conv-third").start().awaitListening()) {
            Sipp.Result third = node.uac("third", "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", "conv-third")
                    .pause(Duration.ofMillis(500)).run();
            assertCallSucceeded(third, uas.await());
        }
    }

    /** The sockets of the ended call are closed asynchronously; wait (bounded) until the kernel shows them gone. */
    private void awaitRtpPortsUnbound(Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        for (int port = node.rtpLow; port <= node.rtpHigh; port++) {
            while (UdpTable.isBound(LOOPBACK, port)) {
                assertTrue(System.nanoTime() < deadline, "RTP port " + port + " still bound " + limit + " after the call ended");
                Thread.sleep(20);
            }
        }
    }
}
