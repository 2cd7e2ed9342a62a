package io.warmline.webrtc.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks the test peer itself before it is trusted to judge Warmline: two libwebrtc peers on loopback, headless, each
 * hearing the other's tone. If this fails, the WebRTC peer tests' failures say nothing about Warmline.
 */
class LibWebRtcPeerSelfCheckPeerTest {

    @Test
    void twoLibWebRtcPeersHearEachOthersTone() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("warmline.skipPeerTests"), "peer tests skipped");
        Duration t = Duration.ofSeconds(10);
        try (LibWebRtcPeer a = new LibWebRtcPeer(1000, 600); LibWebRtcPeer b = new LibWebRtcPeer(600, 1000)) {
            a.createOffer(t);
            String offer = a.localSdpAfterGathering(t);
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
