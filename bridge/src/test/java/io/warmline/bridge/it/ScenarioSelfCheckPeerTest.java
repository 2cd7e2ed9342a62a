package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.hex;
import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The support-line scenario checked SIPp to SIPp, with no Warmline in between, so a passing call through Warmline
 * means something: the UAS scenario passes with the right conversation headers and fails when one differs or is
 * missing. (sipp/selftest.sh covers every scenario pair the same way.)
 */
class ScenarioSelfCheckPeerTest {
    private final int uasSip = Ports.sip(LOOPBACK);
    private final int uasRtp = Ports.udpBlock(LOOPBACK, 4);
    private final int uacSip = Ports.sip(LOOPBACK);
    private final int uacRtp = Ports.udpBlock(LOOPBACK, 4);

    @BeforeAll
    static void enabled() {
        PeerEnvironment.assumePeerTestsEnabled();
    }

    @Test
    void supportLinePassesWithMatchingHeaders() throws Exception {
        Sipp.Result[] r = call("matching", "c-1", hex("c-1"), "c-1", true);
        assertTrue(r[0].succeeded() && r[1].succeeded(), () -> r[0].describe() + "\n" + r[1].describe());
    }

    @Test
    void supportLineFailsWhenTheConversationIdDiffers() throws Exception {
        Sipp.Result[] r = call("differs", "c-1", hex("c-1"), "c-2", true);
        assertTrue(r[0].succeeded(), r[0]::describe);
        assertEquals(1, r[1].exitCode, r[1]::describe);
    }

    @Test
    void supportLineFailsWhenUserToUserIsMissing() throws Exception {
        Sipp.Result[] r = call("uui-missing", "c-1", null, null, false);
        assertTrue(r[0].succeeded(), r[0]::describe);
        assertEquals(1, r[1].exitCode, r[1]::describe);
    }

    /** One call UAC -> UAS; returns {uac, uas}. */
    private Sipp.Result[] call(String name, String sendConv, String sendUui, String expectConv, boolean expectUui)
            throws Exception {
        Path dir = PeerEnvironment.workDir("ScenarioSelfCheckPeerTest/" + name);
        Sipp uas = Sipp.uas("uas", "uas-echo.xml", dir).local(LOOPBACK, uasSip, uasRtp).timeout(Duration.ofSeconds(15));
        if (expectConv != null) {
            uas.set("conv", expectConv);
        }
        if (expectUui && sendUui != null) {
            uas.set("uui", sendUui);
        }
        try (Sipp.Running running = uas.start().awaitListening()) {
            Sipp uac = Sipp.uac("uac", "uac-pcap.xml", LOOPBACK + ":" + uasSip, "1000", dir).local(LOOPBACK, uacSip, uacRtp)
                    .set("conv", sendConv).pause(Duration.ofMillis(200)).timeout(Duration.ofSeconds(15));
            if (sendUui != null) {
                uac.set("uui", sendUui);
            }
            Sipp.Result caller = uac.run();
            return new Sipp.Result[] {caller, running.await()};
        }
    }
}
