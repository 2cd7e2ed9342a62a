package io.warmline.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OfferAnswerTest {

    private static final List<String> PREFERENCE = List.of("PCMU", "PCMA");

    private static SdpOrigin origin() {
        return new SdpOrigin("-", 4242, 1);
    }

    private static SessionDescription sdp(String... lines) throws SdpException {
        return SessionDescription.parse(String.join("\r\n", lines) + "\r\n");
    }

    private static SessionDescription offerWith(String... mediaLines) throws SdpException {
        String[] head = {"v=0", "o=peer 99 1 IN IP4 198.51.100.7", "s=-", "c=IN IP4 198.51.100.7", "t=0 0"};
        String[] all = new String[head.length + mediaLines.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(mediaLines, 0, all, head.length, mediaLines.length);
        return sdp(all);
    }

    @Test
    void offerIsExactlyAsSpecified() {
        SessionDescription offer = OfferAnswer.offer(origin(), "192.0.2.10", 30000, List.of("PCMA", "PCMU"), true,
                Direction.SENDRECV);
        assertEquals(String.join("\r\n",
                "v=0",
                "o=- 4242 1 IN IP4 192.0.2.10",
                "s=-",
                "c=IN IP4 192.0.2.10",
                "t=0 0",
                "m=audio 30000 RTP/AVP 8 0 101",
                "a=rtpmap:8 PCMA/8000",
                "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:101 telephone-event/8000",
                "a=fmtp:101 0-16",
                "a=ptime:20",
                "a=sendrecv",
                ""), offer.encode());
    }

    @Test
    void offerWithoutTelephoneEventOnHoldOverIpv6() throws Exception {
        SessionDescription offer = OfferAnswer.offer(origin(), "2001:db8::10", 30002, List.of("pcmu/8000"), false,
                Direction.SENDONLY);
        assertEquals("IP6", offer.origin().addressType());
        assertEquals(new Connection("IP6", "2001:db8::10"), offer.connection());
        MediaDescription m = offer.media().get(0);
        assertEquals(List.of("0"), m.formats());
        assertEquals(Direction.SENDONLY, m.direction());
        assertEquals(offer, SessionDescription.parse(offer.encode()));
    }

    @Test
    void opusIsOfferedAsRfc7587SaysWithTelephoneEventAtEachRate() {
        SessionDescription offer = OfferAnswer.offer(origin(), "192.0.2.10", 30000, List.of("opus", "PCMU"), true,
                Direction.SENDRECV);
        assertEquals(String.join("\r\n",
                "v=0",
                "o=- 4242 1 IN IP4 192.0.2.10",
                "s=-",
                "c=IN IP4 192.0.2.10",
                "t=0 0",
                "m=audio 30000 RTP/AVP 111 0 101 110",
                "a=rtpmap:111 opus/48000/2",
                "a=fmtp:111 useinbandfec=1",
                "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:101 telephone-event/48000",
                "a=fmtp:101 0-16",
                "a=rtpmap:110 telephone-event/8000",
                "a=fmtp:110 0-16",
                "a=ptime:20",
                "a=sendrecv",
                ""), offer.encode());
    }

    @Test
    void opusOfferIsAnsweredWithOurFmtpAndTheOfferersPayloadType() throws Exception {
        SessionDescription offer = offerWith("m=audio 40000 RTP/AVP 109 0 126", "a=rtpmap:109 opus/48000/2",
                "a=fmtp:109 minptime=10;useinbandfec=1;stereo=1", "a=rtpmap:126 telephone-event/48000");
        Negotiated n = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, List.of("opus", "PCMU"));
        assertEquals(109, n.codec().payloadType());
        assertTrue(n.codec().isOpus());
        assertEquals(126, n.telephoneEventPt());
        MediaDescription m = n.local().media().get(0);
        assertEquals(List.of("109", "0", "126"), m.formats(), "PCMU is received too; no telephone-event/8000 offered");
        assertEquals(Optional.of("useinbandfec=1"), m.fmtp(109));
        assertEquals(List.of(109, 0), n.receivedAudio().stream().map(PayloadFormat::payloadType).toList());
        assertEquals(126, n.receivedTelephoneEventPt(48000));
        assertEquals(-1, n.receivedTelephoneEventPt(8000));
        Negotiated g711 = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, List.of("PCMU", "opus"));
        assertEquals("PCMU", g711.codec().encoding());
        assertEquals(-1, g711.telephoneEventPt(), "telephone-event/48000 does not go with PCMU");
    }

    @Test
    void anOpusAnswerToOurOfferIsAccepted() throws Exception {
        SessionDescription ours = OfferAnswer.offer(origin(), "192.0.2.10", 30000, List.of("PCMA", "opus"), true,
                Direction.SENDRECV);
        SessionDescription answer = sdp("v=0", "o=peer 1 1 IN IP4 198.51.100.9", "s=-", "c=IN IP4 198.51.100.9",
                "t=0 0", "m=audio 41000 RTP/AVP 111 110", "a=rtpmap:111 opus/48000/2",
                "a=rtpmap:110 telephone-event/48000");
        Negotiated n = OfferAnswer.accept(ours, answer);
        assertTrue(n.codec().isOpus());
        assertEquals(111, n.codec().payloadType());
        assertEquals(110, n.telephoneEventPt());
        assertEquals(new InetSocketAddress("198.51.100.9", 41000), n.remoteRtp());
    }

    @Test
    void offerRefusesCodecsWithoutPayloadType() {
        assertThrows(IllegalArgumentException.class, () -> OfferAnswer.offer(origin(), "192.0.2.10", 30000,
                List.of("G729b"), true, Direction.SENDRECV));
        assertThrows(IllegalArgumentException.class, () -> OfferAnswer.offer(origin(), "192.0.2.10", 30000,
                List.of(), true, Direction.SENDRECV));
    }

    @Test
    void answerChoosesByOurPreferenceNotTheOfferOrder() throws Exception {
        SessionDescription offer = offerWith("m=audio 40000 RTP/AVP 8 0 101", "a=rtpmap:101 telephone-event/8000",
                "a=fmtp:101 0-15");
        Negotiated n = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, PREFERENCE);
        assertEquals(PayloadFormat.PCMU, n.codec());
        assertEquals(101, n.telephoneEventPt());
        assertEquals(new InetSocketAddress("198.51.100.7", 40000), n.remoteRtp());
        assertEquals(new InetSocketAddress("198.51.100.7", 40001), n.remoteRtcp());
        assertEquals(Direction.SENDRECV, n.remoteDirection());
        assertEquals(20, n.ptimeMs());
        assertTrue(n.shouldSend());
        assertTrue(n.expectsMedia());
        assertEquals(String.join("\r\n",
                "v=0",
                "o=- 4242 1 IN IP4 192.0.2.10",
                "s=-",
                "c=IN IP4 192.0.2.10",
                "t=0 0",
                "m=audio 30000 RTP/AVP 0 8 101",
                "a=rtpmap:0 PCMU/8000",
                "a=rtpmap:8 PCMA/8000",
                "a=rtpmap:101 telephone-event/8000",
                "a=fmtp:101 0-15",
                "a=sendrecv",
                ""), n.local().encode());

        assertEquals(List.of(PayloadFormat.PCMU, PayloadFormat.PCMA), n.receivedAudio());

        Negotiated alaw = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, List.of("PCMA", "PCMU"));
        assertEquals(PayloadFormat.PCMA, alaw.codec());
        assertEquals(List.of("8", "0", "101"), alaw.local().media().get(0).formats());
    }

    @Test
    void theAnswerListsOnlyOfferedFormatsOfOurListInOurOrder() throws Exception {
        SessionDescription offer = offerWith("m=audio 40000 RTP/AVP 18 8 9 0 101", "a=rtpmap:18 G729/8000",
                "a=rtpmap:101 telephone-event/8000");
        Negotiated onlyAlaw = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, List.of("PCMA", "opus"));
        assertEquals(List.of("8", "101"), onlyAlaw.local().media().get(0).formats());
        assertEquals(List.of(PayloadFormat.PCMA), onlyAlaw.receivedAudio());
        assertEquals(101, onlyAlaw.receivedTelephoneEventPt(8000));
        Negotiated both = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, List.of("PCMU", "G722", "PCMA"));
        assertEquals(List.of("0", "9", "8", "101"), both.local().media().get(0).formats());
        assertEquals(PayloadFormat.PCMU, both.codec());
    }

    @Test
    void anAnswerWithSeveralFormatsIsReceivedWhole() throws Exception {
        SessionDescription ours = OfferAnswer.offer(origin(), "192.0.2.10", 30000, List.of("opus", "PCMU", "PCMA"),
                true, Direction.SENDRECV);
        SessionDescription answer = sdp("v=0", "o=peer 1 1 IN IP4 198.51.100.9", "s=-", "c=IN IP4 198.51.100.9",
                "t=0 0", "m=audio 41000 RTP/AVP 8 18 0 110", "a=rtpmap:18 G729/8000",
                "a=rtpmap:110 telephone-event/8000");
        Negotiated n = OfferAnswer.accept(ours, answer);
        assertEquals(PayloadFormat.PCMA, n.codec(), "we send the answer's first format we offered");
        assertEquals(List.of(PayloadFormat.PCMA, PayloadFormat.PCMU), n.receivedAudio(), "G.729 was not offered");
        assertEquals(110, n.telephoneEventPt(), "our offer put telephone-event/8000 at 110, after opus's rate");
        assertEquals(110, n.receivedTelephoneEventPt(8000));
        assertEquals(-1, n.receivedTelephoneEventPt(48000));
    }

    @Test
    void answerUsesTheOfferersDynamicPayloadTypes() throws Exception {
        SessionDescription offer = offerWith("m=audio 40000 RTP/AVP 96 100", "a=rtpmap:96 PCMA/8000",
                "a=rtpmap:100 telephone-event/8000", "a=fmtp:100 0-16,32-40");
        Negotiated n = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, PREFERENCE);
        assertEquals(new PayloadFormat(96, "PCMA", 8000, 1, null), n.codec());
        assertEquals(100, n.telephoneEventPt());
        MediaDescription answer = n.local().media().get(0);
        assertEquals(List.of("96", "100"), answer.formats());
        assertEquals(Optional.of("0-16"), answer.fmtp(100));
    }

    @Test
    void answerIgnoresTelephoneEventAtAnotherClockRate() throws Exception {
        SessionDescription offer = offerWith("m=audio 40000 RTP/AVP 0 110", "a=rtpmap:110 telephone-event/48000");
        Negotiated n = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, PREFERENCE);
        assertEquals(-1, n.telephoneEventPt());
        assertEquals(List.of("0"), n.local().media().get(0).formats());
    }

    @ParameterizedTest(name = "offer {0} -> answer {1}")
    @CsvSource({
        "sendrecv, sendrecv, SENDRECV",
        "sendonly, recvonly, SENDONLY",
        "recvonly, sendonly, RECVONLY",
        "inactive, inactive, INACTIVE",
    })
    void answerMirrorsDirection(String offered, String answered, Direction remote) throws Exception {
        SessionDescription offer = offerWith("m=audio 40000 RTP/AVP 0", "a=" + offered);
        Negotiated n = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, PREFERENCE);
        assertEquals(remote, n.remoteDirection());
        assertEquals(Direction.fromAttribute(answered).orElseThrow(), n.local().media().get(0).direction());
        assertEquals(remote.receives(), n.shouldSend());
    }

    @Test
    void answerHonoursALocalDirection() throws Exception {
        SessionDescription offer = offerWith("m=audio 40000 RTP/AVP 0");
        Negotiated n = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, PREFERENCE, Direction.SENDONLY);
        assertEquals(Direction.SENDONLY, n.local().media().get(0).direction());
        Negotiated held = OfferAnswer.answer(offerWith("m=audio 40000 RTP/AVP 0", "a=sendonly"), origin(),
                "192.0.2.10", 30000, PREFERENCE, Direction.SENDONLY);
        assertEquals(Direction.INACTIVE, held.local().media().get(0).direction());
    }

    @Test
    void legacyHoldWithZeroAddress() throws Exception {
        SessionDescription offer = sdp("v=0", "o=peer 99 2 IN IP4 198.51.100.7", "s=-", "c=IN IP4 0.0.0.0",
                "t=0 0", "m=audio 40000 RTP/AVP 0");
        Negotiated n = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, PREFERENCE);
        assertNull(n.remoteRtp());
        assertNull(n.remoteRtcp());
        assertEquals(Direction.SENDONLY, n.remoteDirection());
        assertEquals(Direction.RECVONLY, n.local().media().get(0).direction());
        assertFalse(n.shouldSend());
    }

    @Test
    void answerRejectsOtherStreamsInPlace() throws Exception {
        SessionDescription offer = offerWith(
                "m=video 40002 RTP/AVP 96", "a=rtpmap:96 H264/90000",
                "m=audio 40000 RTP/AVP 18", "a=rtpmap:18 G729/8000",
                "m=audio 40004 RTP/AVP 0 8",
                "m=image 40006 udptl t38",
                "m=audio 40008 RTP/AVP 0");
        Negotiated n = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, PREFERENCE);
        List<MediaDescription> media = n.local().media();
        assertEquals(5, media.size());
        assertEquals(List.of("video", "audio", "audio", "image", "audio"), media.stream().map(MediaDescription::type)
                .toList());
        assertEquals(List.of(0, 0, 30000, 0, 0), media.stream().map(MediaDescription::port).toList());
        assertEquals(List.of("96"), media.get(0).formats());
        assertEquals(List.of("t38"), media.get(3).formats());
        assertEquals("udptl", media.get(3).protocol());
        assertEquals(new InetSocketAddress("198.51.100.7", 40004), n.remoteRtp());
        assertEquals(n.local(), SessionDescription.parse(n.local().encode()));
    }

    @Test
    void answerCopiesPtimeAndReadsRtcpAttribute() throws Exception {
        SessionDescription offer = offerWith("m=audio 40000 RTP/AVP 0", "c=IN IP6 2001:db8::7", "a=ptime:30",
                "a=rtcp:40011 IN IP4 198.51.100.8");
        Negotiated n = OfferAnswer.answer(offer, origin(), "192.0.2.10", 30000, PREFERENCE);
        assertEquals(30, n.ptimeMs());
        assertEquals(OptionalInt.of(30), n.local().media().get(0).ptime());
        assertEquals(new InetSocketAddress("2001:db8::7", 40000), n.remoteRtp());
        assertEquals(new InetSocketAddress("198.51.100.8", 40011), n.remoteRtcp());

        Negotiated portOnly = OfferAnswer.answer(offerWith("m=audio 40000 RTP/AVP 0", "a=rtcp:40021"), origin(),
                "192.0.2.10", 30000, PREFERENCE);
        assertEquals(new InetSocketAddress("198.51.100.7", 40021), portOnly.remoteRtcp());
        assertEquals(OptionalInt.empty(), portOnly.local().media().get(0).ptime());
    }

    @Test
    void noCommonCodecCarriesTheRightWarning() throws Exception {
        NoCommonCodecException codecs = assertThrows(NoCommonCodecException.class, () -> OfferAnswer.answer(
                offerWith("m=audio 40000 RTP/AVP 18 9"), origin(), "192.0.2.10", 30000, PREFERENCE));
        assertEquals(305, codecs.warnCode());
        assertEquals(488, codecs.sipStatus());
        assertEquals("305 warmline.example \"Incompatible media format\"",
                codecs.warningHeaderValue("warmline.example"));
        assertTrue(codecs.getMessage().contains("G729/8000(18)"), codecs.getMessage());

        NoCommonCodecException video = assertThrows(NoCommonCodecException.class, () -> OfferAnswer.answer(
                offerWith("m=video 40000 RTP/AVP 31", "m=audio 0 RTP/AVP 0"), origin(), "192.0.2.10", 30000,
                PREFERENCE));
        assertEquals(304, video.warnCode());
        assertEquals("Media type not available", video.warnText());

        NoCommonCodecException srtp = assertThrows(NoCommonCodecException.class, () -> OfferAnswer.answer(
                offerWith("m=audio 40000 RTP/SAVP 0"), origin(), "192.0.2.10", 30000, PREFERENCE));
        assertEquals(302, srtp.warnCode());
    }

    @Test
    void answerNeedsAnIpLiteralConnection() throws Exception {
        SessionDescription byName = sdp("v=0", "o=peer 99 1 IN IP4 peer.example.com", "s=-",
                "c=IN IP4 peer.example.com", "t=0 0", "m=audio 40000 RTP/AVP 0");
        assertThrows(SdpException.class,
                () -> OfferAnswer.answer(byName, origin(), "192.0.2.10", 30000, PREFERENCE));
        SessionDescription none = sdp("v=0", "o=peer 99 1 IN IP4 198.51.100.7", "s=-", "t=0 0",
                "m=audio 40000 RTP/AVP 0");
        SdpException e = assertThrows(SdpException.class,
                () -> OfferAnswer.answer(none, origin(), "192.0.2.10", 30000, PREFERENCE));
        assertEquals(488, e.sipStatus());
    }

    @Test
    void acceptReadsThePeersAnswer() throws Exception {
        SessionDescription ours = OfferAnswer.offer(origin(), "192.0.2.10", 30000, PREFERENCE, true,
                Direction.SENDRECV);
        SessionDescription answer = sdp("v=0", "o=pbx 5 5 IN IP4 198.51.100.9", "s=-", "t=0 0",
                "m=audio 41000 RTP/AVP 8 101", "c=IN IP4 198.51.100.9", "a=rtpmap:101 telephone-event/8000",
                "a=ptime:30", "a=recvonly");
        Negotiated n = OfferAnswer.accept(ours, answer);
        assertEquals(ours, n.local());
        assertEquals(PayloadFormat.PCMA, n.codec());
        assertEquals(101, n.telephoneEventPt());
        assertEquals(new InetSocketAddress("198.51.100.9", 41000), n.remoteRtp());
        assertEquals(new InetSocketAddress("198.51.100.9", 41001), n.remoteRtcp());
        assertEquals(Direction.RECVONLY, n.remoteDirection());
        assertEquals(30, n.ptimeMs());
        assertTrue(n.shouldSend());
        assertFalse(n.expectsMedia());
    }

    @Test
    void acceptWithoutTelephoneEventInOurOffer() throws Exception {
        SessionDescription ours = OfferAnswer.offer(origin(), "192.0.2.10", 30000, PREFERENCE, false,
                Direction.SENDRECV);
        Negotiated n = OfferAnswer.accept(ours, offerWith("m=audio 41000 RTP/AVP 0 101",
                "a=rtpmap:101 telephone-event/8000"));
        assertEquals(-1, n.telephoneEventPt());
        assertEquals(20, n.ptimeMs());
    }

    @Test
    void acceptRefusesAnswersThatDoNotFitTheOffer() throws Exception {
        SessionDescription ours = OfferAnswer.offer(origin(), "192.0.2.10", 30000, PREFERENCE, true,
                Direction.SENDRECV);
        NoCommonCodecException notOffered = assertThrows(NoCommonCodecException.class,
                () -> OfferAnswer.accept(ours, offerWith("m=audio 41000 RTP/AVP 18 101")));
        assertEquals(305, notOffered.warnCode());
        NoCommonCodecException rejected = assertThrows(NoCommonCodecException.class,
                () -> OfferAnswer.accept(ours, offerWith("m=audio 0 RTP/AVP 0")));
        assertEquals(305, rejected.warnCode());
        assertThrows(SdpException.class, () -> OfferAnswer.accept(ours,
                offerWith("m=audio 41000 RTP/AVP 0", "m=video 0 RTP/AVP 31")));
        assertThrows(SdpException.class, () -> OfferAnswer.accept(ours, offerWith("m=video 41000 RTP/AVP 31")));
        assertThrows(SdpException.class, () -> OfferAnswer.accept(ours, offerWith("m=audio 41000 RTP/SAVP 0")));
    }

    @Test
    void acceptSeesHoldInTheAnswer() throws Exception {
        SessionDescription ours = OfferAnswer.offer(origin(), "192.0.2.10", 30000, PREFERENCE, false,
                Direction.SENDONLY);
        Negotiated n = OfferAnswer.accept(ours, sdp("v=0", "o=pbx 5 6 IN IP4 198.51.100.9", "s=-",
                "c=IN IP4 0.0.0.0", "t=0 0", "m=audio 41000 RTP/AVP 0", "a=recvonly"));
        assertNull(n.remoteRtp());
        assertEquals(Direction.INACTIVE, n.remoteDirection());
    }

    @Test
    void versionGoesUpOnlyWhenTheDescriptionChanges() throws Exception {
        SdpOrigin leg = origin();
        SessionDescription first = OfferAnswer.offer(leg, "192.0.2.10", 30000, PREFERENCE, true, Direction.SENDRECV);
        SessionDescription again = OfferAnswer.offer(leg, "192.0.2.10", 30000, PREFERENCE, true, Direction.SENDRECV);
        SessionDescription hold = OfferAnswer.offer(leg, "192.0.2.10", 30000, PREFERENCE, true, Direction.SENDONLY);
        SessionDescription resume = OfferAnswer.offer(leg, "192.0.2.10", 30000, PREFERENCE, true,
                Direction.SENDRECV);
        assertEquals(1, first.origin().sessionVersion());
        assertEquals(1, again.origin().sessionVersion());
        assertEquals(2, hold.origin().sessionVersion());
        assertEquals(3, resume.origin().sessionVersion());
        assertEquals("4242", resume.origin().sessionId());
        assertEquals(resume.origin(), leg.current());

        Negotiated answer = OfferAnswer.answer(offerWith("m=audio 40000 RTP/AVP 0"), leg, "192.0.2.10", 30000,
                PREFERENCE);
        assertEquals(4, answer.local().origin().sessionVersion());
    }

    @Test
    void randomOriginsAreValid() {
        SdpOrigin a = SdpOrigin.random(new java.util.Random(1));
        SessionDescription sd = OfferAnswer.offer(a, "192.0.2.10", 30000, PREFERENCE, false, Direction.SENDRECV);
        assertEquals(sd.origin().sessionId(), Long.toString(sd.origin().sessionVersion()));
        assertTrue(sd.origin().sessionVersion() > 0);
    }

    @Test
    void eventListIntersection() {
        assertEquals("0-15", OfferAnswer.intersectEvents(null, "0-16"));
        assertEquals("0-16", OfferAnswer.intersectEvents("0-255", "0-16"));
        assertEquals("0,2,4-5", OfferAnswer.intersectEvents("0, 2,4-5,99", "0-16"));
        assertEquals("", OfferAnswer.intersectEvents("32-40", "0-16"));
        assertEquals("0-15", OfferAnswer.intersectEvents("garbage", "0-16"), "unreadable entries are skipped");
    }
}
