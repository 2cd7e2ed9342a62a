package io.warmline.webrtc.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Checks the test peer itself before it is trusted to judge Warmline: two libwebrtc peers on loopback, headless, each
 * hearing the other's tone. If this fails, the WebRTC peer tests' failures say nothing about Warmline. Inside the
 * test's network namespace libwebrtc must gather the namespace's address and nothing outside it.
 */
@Tag(TestNamespace.TAG)
class LibWebRtcPeerSelfCheckPeerTest {

    @Test
    void twoLibWebRtcPeersHearEachOthersTone() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("warmline.skipPeerTests"), "peer tests skipped");
        TestNamespace namespace = TestNamespace.require();
        Duration t = Duration.ofSeconds(10);
        try (LibWebRtcPeer a = new LibWebRtcPeer(1000, 600); LibWebRtcPeer b = new LibWebRtcPeer(600, 1000)) {
            a.createOffer(t);
            String offer = a.localSdpAfterGathering(t);
            List<InetAddress> candidates = TestNamespace.candidateAddresses(offer);
            assertTrue(candidates.contains(namespace.address()), "libwebrtc gathers " + namespace.address() + ":\n"
                    + offer);
            assertTrue(candidates.stream().allMatch(c -> namespace.contains(c) || c.isLinkLocalAddress()),
                    "no candidate outside " + namespace.cidr() + ":\n" + offer);
            String answer = b.answerForSelfCheck(offer, t);
            a.applyAnswer(answer, t);
            a.connected().get(10, TimeUnit.SECONDS);
            b.connected().get(10, TimeUnit.SECONDS);
            a.startSending();
            b.startSending();
            b.meter().heard().get(10, TimeUnit.SECONDS);
            a.meter().heard().get(10, TimeUnit.SECONDS);
            assertTrue(a.meter().toneFrames() >= 50 && b.meter().toneFrames() >= 50);
        }
    }
}
