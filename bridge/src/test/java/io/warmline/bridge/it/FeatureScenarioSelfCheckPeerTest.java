package io.warmline.bridge.it;

import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The checks the Warmline tests rely on in the hold, early-media and session-timer scenarios, shown to fail SIPp to
 * SIPp with no Warmline in between, so that a passing call through Warmline means something. (sipp/selftest.sh
 * runs these and the passing pairs too.)
 */
class FeatureScenarioSelfCheckPeerTest {
    private final int uasSip = Ports.sip(LOOPBACK);
    private final int uasRtp = Ports.udpBlock(LOOPBACK, 4);
    private final int uacSip = Ports.sip(LOOPBACK);
    private final int uacRtp = Ports.udpBlock(LOOPBACK, 4);

    @BeforeAll
    static void enabled() {
        PeerEnvironment.assumePeerTestsEnabled();
    }

    @Test
    void heldSupportLineFailsWhenNoHoldReinviteArrives() throws Exception {
        Sipp.Result[] r = call("held-no-reinvite", "uas-held.xml", s -> s, "uac-pcap.xml", s -> s.pause(Duration.ofMillis(200)));
        assertTrue(r[0].succeeded(), r[0]::describe);
        assertEquals(1, r[1].exitCode, r[1]::describe);
    }

    @Test
    void heldSupportLineFailsWhenTheHoldHasTheWrongDirection() throws Exception {
        // The support line requires a=inactive but gets a=sendonly; it answers what RFC 3264 asks for (recvonly),
        // so the carrier passes and the support line fails.
        Sipp.Result[] r = call("held-wrong-direction", "uas-held.xml", s -> s.set("hold", "inactive"),
                "uac-hold.xml", s -> s.pause(Duration.ofMillis(200)));
        assertTrue(r[0].succeeded(), r[0]::describe);
        assertEquals(1, r[1].exitCode, r[1]::describe);
    }

    @Test
    void earlyMediaCarrierFailsWithoutA183() throws Exception {
        Sipp.Result[] r = call("no-183", "uas-echo.xml", s -> s, "uac-early-media.xml", s -> s.pause(Duration.ofMillis(200)));
        assertEquals(1, r[0].exitCode, r[0]::describe);
        assertTrue(r[1].succeeded(), r[1]::describe);
    }

    @Test
    void sessionTimerCarrierFailsWhenThe200HasNoSessionExpires() throws Exception {
        Sipp.Result[] r = call("no-session-expires", "selftest/uas-reinvite.xml", s -> s.set("no_timer", "1"),
                "uac-session-timer.xml", s -> s.pause(Duration.ofMillis(200)));
        assertEquals(1, r[0].exitCode, r[0]::describe);
        assertTrue(r[1].succeeded(), r[1]::describe);
    }

    /** One call UAC -> UAS; returns {uac, uas}. */
    private Sipp.Result[] call(String name, String uasScenario, UnaryOperator<Sipp> uasArgs, String uacScenario,
            UnaryOperator<Sipp> uacArgs) throws Exception {
        Path dir = PeerEnvironment.workDir("FeatureScenarioSelfCheckPeerTest/" + name);
        Sipp uas = uasArgs.apply(Sipp.uas("uas", uasScenario, dir).local(LOOPBACK, uasSip, uasRtp)
                .timeout(Duration.ofSeconds(15)));
        try (Sipp.Running running = uas.start().awaitListening()) {
            Sipp uac = uacArgs.apply(Sipp.uac("uac", uacScenario, LOOPBACK + ":" + uasSip, "1000", dir)
                    .local(LOOPBACK, uacSip, uacRtp).set("conv", "c-1").set("uui", "632d31").timeout(Duration.ofSeconds(15)));
            Sipp.Result caller = uac.run();
            return new Sipp.Result[] {caller, running.await()};
        }
    }
}
