package io.warmline.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.LegCodecs;
import io.warmline.media.sdp.Direction;
import io.warmline.media.sdp.Negotiated;
import io.warmline.media.sdp.OfferAnswer;
import io.warmline.media.sdp.SdpOrigin;
import io.warmline.media.sdp.SessionDescription;
import io.warmline.media.transport.LegFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class NegotiatedMediaTest {

    private static final SdpOrigin ORIGIN = new SdpOrigin("-", 7, 1);

    /** Our answer to a carrier's offer of {@code formats} (with rtpmap lines as needed), by {@code preference}. */
    private static Negotiated answer(String formats, List<String> preference, String... attributes) throws Exception {
        StringBuilder sdp = new StringBuilder("v=0\r\no=carrier 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\nm=audio 40000 RTP/AVP " + formats + "\r\n");
        for (String a : attributes) {
            sdp.append(a).append("\r\n");
        }
        return OfferAnswer.answer(SessionDescription.parse(sdp.toString()), ORIGIN, "127.0.0.1", 30000, preference);
    }

    /** A support line's answer (of {@code formats}) to our offer of {@code offered}. */
    private static Negotiated accepted(List<String> offered, String formats, String... attributes) throws Exception {
        SessionDescription ours = OfferAnswer.offer(ORIGIN, "127.0.0.1", 30002, offered, true, Direction.SENDRECV);
        StringBuilder sdp = new StringBuilder("v=0\r\no=line 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\nm=audio 41000 RTP/AVP " + formats + "\r\n");
        for (String a : attributes) {
            sdp.append(a).append("\r\n");
        }
        return OfferAnswer.accept(ours, SessionDescription.parse(sdp.toString()));
    }

    @Test
    void aCarrierOfferingPcmaFirstGetsPcmuByOurPreferenceAndMaySendEither() throws Exception {
        Negotiated n = answer("8 0 101", List.of("PCMU", "PCMA"), "a=rtpmap:101 telephone-event/8000");
        LegCodecs c = NegotiatedMedia.legCodecs(n);
        assertEquals(LegCodec.pcmu(101), c.send());
        assertEquals(List.of(LegCodec.pcmu(101), LegCodec.pcma(101)), c.receive());
        assertEquals(new LegFormat(0, "PCMU", 8000, 101, List.of(new LegFormat.Audio(8, "PCMA", 8000))),
                NegotiatedMedia.legFormat(n));
    }

    @Test
    void formatsTheBridgeCannotDecodeAreLeftOutOfTheReceiveList() throws Exception {
        Negotiated n = answer("9 0", List.of("PCMU", "G722"));
        assertEquals(List.of("0", "9"), n.local().media().get(0).formats());
        assertEquals(List.of(LegCodec.pcmu(-1)), NegotiatedMedia.legCodecs(n).receive());
    }

    @Test
    void aReofferKeepsEveryAgreedFormatWithOursFirst() throws Exception {
        Negotiated n = answer("8 0 101", List.of("PCMU", "PCMA"), "a=rtpmap:101 telephone-event/8000");
        assertEquals(List.of("PCMU/8000", "PCMA/8000"), NegotiatedMedia.reoffer(n));
        Negotiated opus = accepted(List.of("opus", "PCMU"), "111 0", "a=rtpmap:111 opus/48000/2");
        assertEquals(List.of("opus/48000/2", "PCMU/8000"), NegotiatedMedia.reoffer(opus));
        SessionDescription reoffer = OfferAnswer.offer(ORIGIN, "127.0.0.1", 30000, NegotiatedMedia.reoffer(opus), true,
                Direction.SENDONLY);
        assertEquals(List.of("111", "0", "101", "110"), reoffer.media().get(0).formats());
    }

    @Test
    void g711BothWaysIsRelayedOpusAgainstG711IsNot() throws Exception {
        Negotiated caller = answer("8 0 101", List.of("PCMU", "PCMA"), "a=rtpmap:101 telephone-event/8000");
        assertTrue(NegotiatedMedia.relayable(caller, accepted(List.of("PCMA", "PCMU"), "8 0")));
        assertFalse(NegotiatedMedia.relayable(caller,
                accepted(List.of("opus"), "111", "a=rtpmap:111 opus/48000/2")));
    }

    @Test
    void aCallerThatMaySendOpusIsNotRelayedToAG711Line() throws Exception {
        Negotiated caller = answer("0 111", List.of("PCMU", "opus"), "a=rtpmap:111 opus/48000/2");
        assertEquals("PCMU", caller.codec().encoding(), "we send PCMU");
        assertFalse(NegotiatedMedia.relayable(caller, accepted(List.of("PCMU"), "0")),
                "the caller may send Opus, which the relay cannot turn into PCMU");
        LegCodecs c = NegotiatedMedia.legCodecs(caller);
        assertEquals(2, c.receive().size());
        assertEquals(LegCodec.Encoding.OPUS, c.receive().get(1).encoding());
    }
}
