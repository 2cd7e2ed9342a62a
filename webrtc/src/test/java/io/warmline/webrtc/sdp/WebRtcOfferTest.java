package io.warmline.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.sdp.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebRtcOfferTest {

    @Test
    void readsAChromeOffer() throws Exception {
        WebRtcOffer offer = WebRtcOffer.parse(OfferFiles.chrome());
        assertEquals(0, offer.audioIndex());
        assertEquals("0", offer.audioMid());
        assertEquals(List.of("0", "1", "2"), offer.bundleGroup());
        assertTrue(offer.bundled());
        assertEquals("Qw7t", offer.ice().ufrag());
        assertEquals("f4KxY2nB8vR1mZ6pL0sT9hUe", offer.ice().pwd());
        assertEquals("sha-256", offer.fingerprint().hashFunction());
        assertEquals(SetupRole.ACTPASS, offer.setup());
        assertEquals(1, offer.audioLevelExtensionId());
        assertEquals(List.of(1298576234L), offer.ssrcs());
        assertEquals(Direction.SENDRECV, offer.direction());
        assertEquals(4, offer.candidates().size());
        IceCandidate tcp = offer.candidates().get(2);
        assertEquals("tcp", tcp.transport());
        assertEquals("active", tcp.tcpType());
        IceCandidate mdns = offer.candidates().get(3);
        assertTrue(mdns.ipAddress().isEmpty(), "an mDNS name is not looked up");
        assertTrue(offer.candidates().get(1).ipAddress().isPresent());
    }

    @Test
    void readsAFirefoxOfferWithSessionLevelFingerprint() throws Exception {
        WebRtcOffer offer = WebRtcOffer.parse(OfferFiles.firefox());
        assertEquals("71d4e2a9", offer.ice().ufrag());
        assertEquals("sha-256", offer.fingerprint().hashFunction());
        assertEquals(List.of(3921558820L), offer.ssrcs());
        assertEquals(1, offer.audioLevelExtensionId());
        assertTrue(offer.candidates().isEmpty(), "Firefox trickles every candidate");
    }

    @Test
    void setupDefaultsToActiveAndAnswersFollowRfc8842() throws Exception {
        String noSetup = OfferFiles.firefox().replace("a=setup:actpass\n", "");
        assertEquals(SetupRole.ACTIVE, WebRtcOffer.parse(noSetup).setup());
        assertEquals(SetupRole.PASSIVE, SetupRole.ACTPASS.answerTo());
        assertEquals(SetupRole.PASSIVE, SetupRole.ACTIVE.answerTo());
        assertEquals(SetupRole.ACTIVE, SetupRole.PASSIVE.answerTo());
        String passive = OfferFiles.firefox().replace("a=setup:actpass", "a=setup:passive");
        assertEquals(SetupRole.PASSIVE, WebRtcOffer.parse(passive).setup());
    }

    @Test
    void prefersTheStrongestFingerprint() throws Exception {
        String sha1 = "a=fingerprint:sha-1 01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67\n";
        String sdp = OfferFiles.firefox().replace("a=group:BUNDLE 0\n", sha1 + "a=group:BUNDLE 0\n");
        assertEquals("sha-256", WebRtcOffer.parse(sdp).fingerprint().hashFunction());
    }

    @Test
    void refusesWithTypedReasons() {
        String chrome = OfferFiles.chrome();
        assertRefused(RefusalReason.MALFORMED_SDP, "v=0\nnot sdp\n");
        assertRefused(RefusalReason.MALFORMED_SDP, "");
        assertRefused(RefusalReason.NO_AUDIO, chrome.replace("m=audio 9 ", "m=audio 0 "));
        assertRefused(RefusalReason.NO_AUDIO, videoOnly(chrome));
        assertRefused(RefusalReason.NO_FINGERPRINT, withoutLines(OfferFiles.firefox(), "a=fingerprint:"));
        assertRefused(RefusalReason.NO_FINGERPRINT, OfferFiles.firefox().replace("a=fingerprint:sha-256",
                "a=fingerprint:md5"));
        assertRefused(RefusalReason.NO_ICE_CREDENTIALS, withoutLines(chrome, "a=ice-pwd:"));
        assertRefused(RefusalReason.NO_ICE_CREDENTIALS, chrome.replace("a=ice-ufrag:Qw7t", "a=ice-ufrag:Qw"));
        assertRefused(RefusalReason.UNSUPPORTED_CRYPTO, OfferFiles.read("sdes-audio.sdp"));
        assertRefused(RefusalReason.UNSUPPORTED_CRYPTO, chrome.replace("m=audio 9 UDP/TLS/RTP/SAVPF",
                "m=audio 9 RTP/AVP"));
        assertRefused(RefusalReason.UNSUPPORTED_TRANSPORT, OfferFiles.firefox().replace("a=rtcp-mux\n", ""));
        assertRefused(RefusalReason.UNSUPPORTED_TRANSPORT, OfferFiles.firefox().replace("a=setup:actpass",
                "a=setup:holdconn"));
        assertRefused(RefusalReason.MALFORMED_SDP, OfferFiles.firefox().replace("a=setup:actpass",
                "a=setup:sideways"));
    }

    @Test
    void refusalsMapToClientErrors() {
        for (RefusalReason r : RefusalReason.values()) {
            assertTrue(r.httpStatus() >= 400 && r.httpStatus() < 500, r.name());
            assertFalse(r.code().isBlank());
        }
        OfferRefusedException e = assertThrows(OfferRefusedException.class,
                () -> WebRtcOffer.parse(OfferFiles.read("sdes-audio.sdp")));
        assertEquals(422, e.httpStatus());
        assertTrue(e.getMessage().contains("a=crypto"), e.getMessage());
    }

    @Test
    void boundsCandidatesAndSsrcs() throws Exception {
        StringBuilder extra = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            extra.append("a=candidate:").append(i).append(" 1 udp 2122260223 192.0.2.1 ").append(1000 + i)
                    .append(" typ host\n");
            extra.append("a=ssrc:").append(1000 + i).append(" cname:x\n");
        }
        String sdp = OfferFiles.firefox() + extra;
        WebRtcOffer offer = WebRtcOffer.parse(sdp);
        assertEquals(WebRtcOffer.MAX_CANDIDATES, offer.candidates().size());
        assertEquals(WebRtcOffer.MAX_SSRCS, offer.ssrcs().size());
    }

    static String videoOnly(String chrome) {
        int video = chrome.indexOf("m=video");
        return chrome.substring(0, chrome.indexOf("m=audio")) + chrome.substring(video);
    }

    static String withoutLines(String sdp, String prefix) {
        StringBuilder out = new StringBuilder();
        for (String line : sdp.split("\n")) {
            if (!line.startsWith(prefix)) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    static void assertRefused(RefusalReason reason, String sdp) {
        OfferRefusedException e = assertThrows(OfferRefusedException.class, () -> WebRtcOffer.parse(sdp));
        assertEquals(reason, e.reason(), e.getMessage());
    }
}
