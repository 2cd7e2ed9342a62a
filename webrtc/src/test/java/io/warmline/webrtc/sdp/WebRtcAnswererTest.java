package io.warmline.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.sdp.Direction;
import io.warmline.media.sdp.MediaDescription;
import io.warmline.media.sdp.SdpOrigin;
import io.warmline.media.sdp.SessionDescription;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebRtcAnswererTest {

    private static final byte[] CERT = "a DER certificate stands here".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static LocalTransport local() throws Exception {
        List<InetSocketAddress> udp = List.of(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000),
                new InetSocketAddress(InetAddress.getByName("::1"), 40000));
        List<InetSocketAddress> tcp = List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40001));
        return new LocalTransport(IceCredentials.random(new Random(1)), DtlsFingerprint.of("sha-256", CERT),
                IceCandidate.hostCandidates(udp, tcp), 0x1234_5678L, "wl-cname");
    }

    @Test
    void answersChromeWithOpusBundleIceLiteAndRejectsVideoAndData() throws Exception {
        LocalTransport local = local();
        WebRtcAnswer answer = WebRtcAnswerer.answer(WebRtcOffer.parse(OfferFiles.chrome()), local,
                new SdpOrigin("-", 42, 1));
        String sdp = answer.sdp();
        SessionDescription d = SessionDescription.parse(sdp);

        assertTrue(d.attribute("ice-lite").isPresent());
        assertEquals("BUNDLE 0", d.attribute("group").orElseThrow());
        assertEquals(3, d.media().size());

        MediaDescription audio = d.media().get(0);
        assertEquals("UDP/TLS/RTP/SAVPF", audio.protocol());
        assertEquals(List.of("111", "110"), audio.formats());
        assertEquals(40000, audio.port());
        assertEquals("127.0.0.1", audio.connection().address());
        assertEquals("0", audio.attribute("mid").orElseThrow());
        assertEquals(local.ice().ufrag(), audio.attribute("ice-ufrag").orElseThrow());
        assertEquals(local.ice().pwd(), audio.attribute("ice-pwd").orElseThrow());
        assertEquals(local.fingerprint().toString(), audio.attribute("fingerprint").orElseThrow());
        assertEquals("passive", audio.attribute("setup").orElseThrow());
        assertTrue(audio.attribute("rtcp-mux").isPresent());
        assertEquals("1 urn:ietf:params:rtp-hdrext:ssrc-audio-level", audio.attribute("extmap").orElseThrow());
        assertEquals(Direction.SENDRECV, audio.direction());
        assertEquals("OPUS", audio.rtpmap(111).orElseThrow().encoding());
        assertEquals(2, audio.rtpmap(111).orElseThrow().channels());
        String fmtp = audio.fmtp(111).orElseThrow();
        assertTrue(fmtp.contains("useinbandfec=1") && fmtp.contains("usedtx=1"), fmtp);
        // the bridges mix at 16 kHz: the browser is asked to code wideband, not fullband
        assertTrue(fmtp.contains("maxplaybackrate=16000") && fmtp.contains("sprop-maxcapturerate=16000"), fmtp);
        assertEquals("telephone-event/48000", audio.rtpmap(110).orElseThrow().rtpmap());
        assertEquals("305419896 cname:wl-cname", audio.attribute("ssrc").orElseThrow());
        assertTrue(audio.attribute("end-of-candidates").isPresent());

        List<IceCandidate> candidates = audio.attributes().stream().filter(a -> a.name().equals("candidate"))
                .map(a -> IceCandidate.parse(a.value()).orElseThrow()).toList();
        assertEquals(3, candidates.size());
        assertEquals("udp", candidates.get(0).transport());
        assertEquals("127.0.0.1", candidates.get(0).address());
        assertEquals("::1", candidates.get(1).address());
        assertEquals("tcp", candidates.get(2).transport());
        assertEquals("passive", candidates.get(2).tcpType());
        assertTrue(candidates.get(0).priority() > candidates.get(1).priority());
        assertTrue(candidates.get(1).priority() > candidates.get(2).priority(), "UDP is preferred over TCP");

        MediaDescription video = d.media().get(1);
        assertEquals("video", video.type());
        assertEquals(0, video.port());
        assertEquals("1", video.attribute("mid").orElseThrow());
        MediaDescription data = d.media().get(2);
        assertEquals(0, data.port());
        assertEquals("UDP/DTLS/SCTP", data.protocol());
        assertEquals("2", data.attribute("mid").orElseThrow());

        assertEquals(111, answer.audio().codec().payloadType());
        assertEquals(110, answer.audio().telephoneEventPt());
        assertEquals(1, answer.audio().audioLevelExtensionId());
        assertTrue(answer.audio().remoteAcceptsFec());
        assertFalse(answer.dtlsClient());
        assertEquals("Qw7t", answer.remoteIce().ufrag());
        assertTrue(sdp.endsWith("\r\n") && !sdp.replace("\r\n", "").contains("\n"));
    }

    @Test
    void answersFirefoxWithOpusAndNoTelephoneEventAtAnotherRate() throws Exception {
        WebRtcAnswer answer = WebRtcAnswerer.answer(WebRtcOffer.parse(OfferFiles.firefox()), local(),
                new SdpOrigin("-", 42, 1));
        assertEquals(109, answer.audio().codec().payloadType());
        assertEquals(-1, answer.audio().telephoneEventPt(), "telephone-event/8000 does not go with Opus' 48 kHz");
        assertEquals(List.of("109"), answer.description().media().get(0).formats());
    }

    @Test
    void fallsBackToG711WithTelephoneEventAt8k() throws Exception {
        String g711 = OfferFiles.chrome().replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
                "m=audio 9 UDP/TLS/RTP/SAVPF 8 0 126");
        WebRtcAnswer answer = WebRtcAnswerer.answer(WebRtcOffer.parse(g711), local(), new SdpOrigin("-", 1, 1));
        assertEquals("PCMU", answer.audio().codec().encoding(), "our preference order, not the offer's");
        assertEquals(126, answer.audio().telephoneEventPt());
        MediaDescription audio = answer.description().media().get(0);
        assertEquals(List.of("0", "126"), audio.formats());
        assertTrue(audio.fmtp(0).isEmpty());

        String pcmaOnly = g711.replace("UDP/TLS/RTP/SAVPF 8 0 126", "UDP/TLS/RTP/SAVPF 8");
        assertEquals("PCMA", WebRtcAnswerer.answer(WebRtcOffer.parse(pcmaOnly), local(), new SdpOrigin("-", 1, 1))
                .audio().codec().encoding());
    }

    @Test
    void refusesAnOfferWithNoCommonCodec() throws Exception {
        String g722 = OfferFiles.chrome().replace("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
                "m=audio 9 UDP/TLS/RTP/SAVPF 9 13 126");
        WebRtcOffer offer = WebRtcOffer.parse(g722);
        OfferRefusedException e = assertThrows(OfferRefusedException.class,
                () -> WebRtcAnswerer.answer(offer, local(), new SdpOrigin("-", 1, 1)));
        assertEquals(RefusalReason.NO_COMMON_CODEC, e.reason());
        assertEquals(422, e.httpStatus());
        assertTrue(e.getMessage().contains("G722/8000"), e.getMessage());
    }

    @Test
    void answersActiveToAPassiveOfferAndMirrorsDirection() throws Exception {
        String sdp = OfferFiles.firefox().replace("a=setup:actpass", "a=setup:passive").replace("a=sendrecv",
                "a=sendonly");
        WebRtcAnswer answer = WebRtcAnswerer.answer(WebRtcOffer.parse(sdp), local(), new SdpOrigin("-", 1, 1));
        assertTrue(answer.dtlsClient());
        MediaDescription audio = answer.description().media().get(0);
        assertEquals("active", audio.attribute("setup").orElseThrow());
        assertEquals(Direction.RECVONLY, audio.direction());
        assertTrue(audio.attribute("ssrc").isEmpty(), "a recvonly answer announces no sending SSRC");
    }

    @Test
    void anOfferWithoutMidGetsNoBundleGroup() throws Exception {
        String sdp = WebRtcOfferTest.withoutLines(OfferFiles.firefox(), "a=mid:");
        WebRtcAnswer answer = WebRtcAnswerer.answer(WebRtcOffer.parse(sdp), local(), new SdpOrigin("-", 1, 1));
        assertTrue(answer.description().attribute("group").isEmpty());
        assertTrue(answer.description().media().get(0).attribute("mid").isEmpty());
    }

    @Test
    void theAnswerIsAValidOfferShapeForOurOwnParser() throws Exception {
        WebRtcAnswer answer = WebRtcAnswerer.answer(WebRtcOffer.parse(OfferFiles.chrome()), local(),
                new SdpOrigin("-", 1, 1));
        WebRtcOffer reread = WebRtcOffer.parse(answer.sdp());
        assertEquals(answer.localIce(), reread.ice());
        assertEquals(SetupRole.PASSIVE, reread.setup());
        assertEquals(3, reread.candidates().size());
    }
}
