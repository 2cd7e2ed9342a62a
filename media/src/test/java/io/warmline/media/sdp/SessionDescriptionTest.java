package io.warmline.media.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionDescriptionTest {

    static final String CARRIER_OFFER = String.join("\r\n",
            "v=0",
            "o=carrier 1234567 7654321 IN IP4 203.0.113.10",
            "s=Talk",
            "c=IN IP4 203.0.113.10",
            "b=AS:84",
            "t=0 0",
            "m=audio 40000 RTP/AVP 8 0 18 101",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:18 G729/8000",
            "a=fmtp:18 annexb=no",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            "a=maxptime:150",
            "a=sendrecv",
            "a=x-vendor-thing:some value",
            "") ;

    @Test
    void parsesATypicalCarrierOffer() throws Exception {
        SessionDescription sd = SessionDescription.parse(CARRIER_OFFER);
        assertEquals(new Origin("carrier", "1234567", 7654321, "IP4", "203.0.113.10"), sd.origin());
        assertEquals("Talk", sd.sessionName());
        assertEquals(new Connection("IP4", "203.0.113.10"), sd.connection());
        assertEquals(1, sd.media().size());
        MediaDescription m = sd.media().get(0);
        assertEquals("audio", m.type());
        assertEquals(40000, m.port());
        assertEquals("RTP/AVP", m.protocol());
        assertEquals(List.of("8", "0", "18", "101"), m.formats());
        assertEquals(List.of(8, 0, 18, 101), m.payloadTypes());
        assertEquals(Optional.of(new PayloadFormat(8, "PCMA", 8000, 1, null)), m.rtpmap(8));
        assertEquals(Optional.of(new PayloadFormat(18, "G729", 8000, 1, "annexb=no")), m.rtpmap(18));
        assertEquals(Optional.of(PayloadFormat.telephoneEvent(101, 8000, "0-16")), m.rtpmap(101));
        assertEquals(Optional.of("0-16"), m.fmtp(101));
        assertEquals(OptionalInt.of(20), m.ptime());
        assertEquals(Direction.SENDRECV, m.direction());
        assertEquals(Optional.of("some value"), m.attribute("x-vendor-thing"));
        assertNull(m.connection());
        assertEquals(sd.connection(), sd.connectionFor(m));
    }

    @Test
    void acceptsLfLineEndsAndNoFinalNewline() throws Exception {
        String lf = CARRIER_OFFER.replace("\r\n", "\n");
        assertEquals(SessionDescription.parse(CARRIER_OFFER), SessionDescription.parse(lf));
        assertEquals(SessionDescription.parse(CARRIER_OFFER), SessionDescription.parse(lf.strip()));
    }

    @Test
    void encodeThenParseGivesTheSameModel() throws Exception {
        SessionDescription sd = SessionDescription.parse(CARRIER_OFFER);
        String encoded = sd.encode();
        assertTrue(encoded.startsWith("v=0\r\no=carrier 1234567 7654321 IN IP4 203.0.113.10\r\ns=Talk\r\n"
                + "c=IN IP4 203.0.113.10\r\nt=0 0\r\nm=audio 40000 RTP/AVP 8 0 18 101\r\na=rtpmap:8 PCMA/8000\r\n"),
                encoded);
        assertTrue(encoded.endsWith("a=sendrecv\r\na=x-vendor-thing:some value\r\n"));
        assertFalse(encoded.contains("b=AS"), "bandwidth lines are not kept");
        assertEquals(sd, SessionDescription.parse(encoded));
    }

    @Test
    void staticPayloadTypesWithoutRtpmapAndCaseInsensitiveEncodings() throws Exception {
        SessionDescription sd = SessionDescription.parse(String.join("\n",
                "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                "m=audio 5004 RTP/AVP 0 8 9 96 97", "a=rtpmap:96 pcmu/8000", "a=rtpmap:97 opus/48000/2"));
        MediaDescription m = sd.media().get(0);
        assertEquals(Optional.of(PayloadFormat.PCMU), m.rtpmap(0));
        assertEquals(Optional.of(PayloadFormat.PCMA), m.rtpmap(8));
        assertEquals(Optional.of(new PayloadFormat(9, "G722", 8000, 1, null)), m.rtpmap(9));
        assertEquals(Optional.of(new PayloadFormat(96, "PCMU", 8000, 1, null)), m.rtpmap(96));
        assertEquals(Optional.of(new PayloadFormat(97, "OPUS", 48000, 2, null)), m.rtpmap(97));
        assertEquals("opus/48000/2", m.rtpmap(97).orElseThrow().rtpmap(), "written as registered");
        assertEquals(Optional.empty(), m.rtpmap(18), "not listed on the m-line");
    }

    @Test
    void mediaLevelConnectionIpv6AndRtcpAttribute() throws Exception {
        SessionDescription sd = SessionDescription.parse(String.join("\r\n",
                "v=0", "o=- 1 1 IN IP6 2001:db8::1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                "m=audio 5004 RTP/AVP 0", "c=IN IP6 2001:db8::2", "a=rtcp:5010 IN IP6 2001:db8::3",
                "m=audio 6004 RTP/AVP 8", "a=rtcp:6009", ""));
        MediaDescription first = sd.media().get(0);
        assertEquals(new Connection("IP6", "2001:db8::2"), sd.connectionFor(first));
        assertEquals(InetAddress.getByName("2001:db8::2"), sd.connectionFor(first).inetAddress());
        assertEquals(OptionalInt.of(5010), first.rtcpPort());
        assertEquals(Optional.of(new Connection("IP6", "2001:db8::3")), first.rtcpConnection());
        MediaDescription second = sd.media().get(1);
        assertEquals(new Connection("IP4", "192.0.2.1"), sd.connectionFor(second));
        assertEquals(OptionalInt.of(6009), second.rtcpPort());
        assertEquals(Optional.empty(), second.rtcpConnection());
    }

    @Test
    void sessionLevelDirectionAppliesUnlessTheMediaHasItsOwn() throws Exception {
        SessionDescription sd = SessionDescription.parse(String.join("\r\n",
                "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0", "a=sendonly",
                "m=audio 5004 RTP/AVP 0", "m=audio 5006 RTP/AVP 0", "a=inactive", ""));
        assertEquals(Direction.SENDONLY, sd.direction(sd.media().get(0)));
        assertEquals(Direction.INACTIVE, sd.direction(sd.media().get(1)));
        assertEquals(Direction.SENDRECV, sd.media().get(0).direction(), "media level alone");
    }

    @Test
    void keepsNonRtpMediaSections() throws Exception {
        SessionDescription sd = SessionDescription.parse(String.join("\r\n",
                "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0",
                "m=image 0 udptl t38", "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", ""));
        assertEquals(List.of("t38"), sd.media().get(0).formats());
        assertEquals(List.of(), sd.media().get(0).payloadTypes());
        assertFalse(sd.media().get(1).isRtp());
        assertEquals(sd, SessionDescription.parse(sd.encode()));
    }

    @Test
    void decimalPtimeAndPortCount() throws Exception {
        SessionDescription sd = SessionDescription.parse(String.join("\r\n",
                "v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=", "c=IN IP4 192.0.2.1", "t=0 0",
                "m=audio 5004/2 RTP/AVP 0", "a=ptime:20.0", ""));
        assertEquals(5004, sd.media().get(0).port());
        assertEquals(OptionalInt.of(20), sd.media().get(0).ptime());
        assertEquals("", sd.sessionName());
        assertTrue(sd.encode().contains("\r\ns=-\r\n"), "an empty session name is written as '-'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not v first | 1 | o=- 1 1 IN IP4 192.0.2.1\\ns=-",
        "v not 0 | 1 | v=1\\no=- 1 1 IN IP4 192.0.2.1\\ns=-",
        "no equals | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nt 0 0",
        "upper-case type | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nT=0 0",
        "unknown type | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nx=1",
        "missing o | 0 | v=0\\ns=-",
        "missing s | 0 | v=0\\no=- 1 1 IN IP4 192.0.2.1",
        "two o | 3 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\no=- 1 1 IN IP4 192.0.2.1\\ns=-",
        "o with 5 fields | 2 | v=0\\no=- 1 IN IP4 192.0.2.1\\ns=-",
        "o version not a number | 2 | v=0\\no=- 1 x IN IP4 192.0.2.1\\ns=-",
        "o version too big | 2 | v=0\\no=- 1 99999999999999999999 IN IP4 192.0.2.1\\ns=-",
        "o net type | 2 | v=0\\no=- 1 1 ATM IP4 192.0.2.1\\ns=-",
        "o address type | 2 | v=0\\no=- 1 1 IN IPX 192.0.2.1\\ns=-",
        "c address type | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nc=IN IP5 192.0.2.1",
        "c missing address | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nc=IN IP4",
        "c bad IPv6 | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nc=IN IP6 2001:zz::1",
        "two session c | 5 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nc=IN IP4 192.0.2.1\\nc=IN IP4 192.0.2.1",
        "t malformed | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nt=now",
        "m too short | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP",
        "m port too big | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 70000 RTP/AVP 0",
        "m port negative | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio -1 RTP/AVP 0",
        "m payload type 128 | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0 128",
        "m payload type not number | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP PCMU",
        "m port count zero | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004/0 RTP/AVP 0",
        "o inside media | 5 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0\\ns=again",
        "empty inner line | 3 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\n\\ns=-",
        "bad rtpmap | 5 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0\\na=rtpmap:0 PCMU",
        "rtpmap zero rate | 5 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0\\na=rtpmap:0 PCMU/0",
        "duplicate rtpmap | 6 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0\\na=rtpmap:0 PCMU/8000\\na=rtpmap:0 PCMA/8000",
        "bad fmtp | 5 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0\\na=fmtp:0",
        "bad ptime | 5 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0\\na=ptime:fast",
        "bad rtcp | 5 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0\\na=rtcp:99999",
        "direction with value | 5 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0\\na=sendonly:yes",
        "two directions | 6 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\nm=audio 5004 RTP/AVP 0\\na=sendonly\\na=recvonly",
        "attribute name not a token | 4 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=-\\na=bad name",
        "stray CR | 3 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=a\\rb",
        "NUL | 3 | v=0\\no=- 1 1 IN IP4 192.0.2.1\\ns=a\\u0000b",
    })
    void rejectsMalformedWithLineNumber(String name, int line, String text) {
        String sdp = text.replace("\\n", "\n").replace("\\r", "\r").replace("\\u0000", "\0");
        SdpException e = assertThrows(SdpException.class, () -> SessionDescription.parse(sdp), name);
        assertEquals(line, e.line(), name + ": " + e.getMessage());
        assertTrue(e.getMessage().startsWith(line > 0 ? "SDP line " + line + ": " : "SDP: "), e.getMessage());
        assertEquals(line > 0 ? 400 : 488, e.sipStatus());
    }

    @Test
    void rejectsNullAndEmpty() {
        assertThrows(SdpException.class, () -> SessionDescription.parse(null));
        assertThrows(SdpException.class, () -> SessionDescription.parse(""));
        assertThrows(SdpException.class, () -> SessionDescription.parse("\r\n"));
    }

    @Test
    void enforcesBounds() throws Exception {
        String head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";

        StringBuilder manyMedia = new StringBuilder(head);
        for (int i = 0; i < 16; i++) {
            manyMedia.append("m=audio ").append(5000 + 2 * i).append(" RTP/AVP 0\r\n");
        }
        assertEquals(16, SessionDescription.parse(manyMedia.toString()).media().size());
        manyMedia.append("m=audio 6000 RTP/AVP 0\r\n");
        SdpException tooManyMedia = assertThrows(SdpException.class,
                () -> SessionDescription.parse(manyMedia.toString()));
        assertEquals(22, tooManyMedia.line());

        StringBuilder formats = new StringBuilder(head).append("m=audio 5000 RTP/AVP");
        for (int i = 0; i < 64; i++) {
            formats.append(' ').append(i);
        }
        assertEquals(64, SessionDescription.parse(formats + "\r\n").media().get(0).formats().size());
        assertThrows(SdpException.class, () -> SessionDescription.parse(formats + " 64\r\n"));

        StringBuilder lines = new StringBuilder(head).append("m=audio 5000 RTP/AVP 0\r\n");
        for (int i = 0; i < 250; i++) {
            lines.append("a=x").append(i).append("\r\n");
        }
        assertEquals(250, SessionDescription.parse(lines.toString()).media().get(0).attributes().size());
        lines.append("a=one-too-many\r\n");
        SdpException tooManyLines = assertThrows(SdpException.class, () -> SessionDescription.parse(lines.toString()));
        assertEquals(257, tooManyLines.line());

        String big = head + "a=x:" + "y".repeat(SessionDescription.MAX_LENGTH) + "\r\n";
        assertThrows(SdpException.class, () -> SessionDescription.parse(big));
    }

    @Test
    void modelRejectsInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> new Connection("IP5", "x"));
        assertThrows(IllegalArgumentException.class, () -> new Connection("IP4", "a b"));
        assertThrows(IllegalArgumentException.class, () -> new Attribute("a b", null));
        assertThrows(IllegalArgumentException.class, () -> new Attribute("x", "line\r\nbreak"));
        assertThrows(IllegalArgumentException.class,
                () -> new MediaDescription("audio", 5000, "RTP/AVP", List.of("200"), null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new MediaDescription("audio", 5000, "RTP/AVP", List.of(), null, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new PayloadFormat(0, "PC MU", 8000, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new Origin("-", "1", -1, "IP4", "x"));
    }

    @Test
    void connectionHelpers() {
        assertTrue(Connection.of("0.0.0.0").isHoldAddress());
        assertTrue(Connection.of("::").isHoldAddress());
        assertFalse(Connection.of("192.0.2.1").isHoldAddress());
        assertEquals("IP6", Connection.of("::1").addressType());
        assertNull(Connection.of("sip.example.com").inetAddress(), "no name lookup");
        assertNull(Connection.of("256.1.1.1").inetAddress());
        assertNull(Connection.of("1.2.3").inetAddress());
        assertNull(new Connection("IP4", "::1").inetAddress());
    }
}
