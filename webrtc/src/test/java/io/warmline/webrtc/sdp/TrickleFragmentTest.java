package io.warmline.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.webrtc.BadCandidateException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrickleFragmentTest {

    /** RFC 9725 §4.3.2's trickle example, as a WHIP client sends it. */
    static final String TRICKLE = "a=group:BUNDLE 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
            + "a=mid:0\r\n"
            + "a=ice-ufrag:EsAw\r\n"
            + "a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\r\n"
            + "a=candidate:1387637174 1 udp 2122260223 192.0.2.1 61764 typ host generation 0 ufrag EsAw network-id 1\r\n"
            + "a=candidate:3471623853 1 udp 2122194687 198.51.100.2 61765 typ host generation 0 ufrag EsAw network-id 2\r\n"
            + "a=candidate:473322822 1 tcp 1518280447 192.0.2.1 9 typ host tcptype active generation 0 ufrag EsAw\r\n"
            + "a=end-of-candidates\r\n";

    @Test
    void readsTheRfc9725TrickleExample() throws Exception {
        TrickleFragment f = TrickleFragment.parse(TRICKLE);
        assertEquals("EsAw", f.ufrag());
        assertEquals("bP+XJMM09aR8AiX1jdukzR6Y", f.pwd());
        assertEquals("0", f.mid());
        assertEquals(3, f.candidates().size());
        assertEquals("198.51.100.2", f.candidates().get(1).address());
        assertEquals("active", f.candidates().get(2).tcpType());
        assertTrue(f.endOfCandidates());
        assertEquals(1, f.skippedLines(), "a=group is not ICE's");
        assertEquals(new IceCredentials("EsAw", "bP+XJMM09aR8AiX1jdukzR6Y"), f.credentials());
        assertFalse(f.toString().contains("bP+XJ"), "the password is never printed");
    }

    @Test
    void bareLinesAndLfEndingsAndMdnsNamesAreRead() throws Exception {
        TrickleFragment f = TrickleFragment.parse(
                "a=candidate:1 1 UDP 2122260223 4a3c1f2e-1b2c-4d5e-8f90-a1b2c3d4e5f6.local 50000 typ host\n");
        assertEquals(1, f.candidates().size());
        assertTrue(f.candidates().get(0).ipAddress().isEmpty());
        assertNull(f.ufrag());
        assertFalse(f.hasCredentials());
        assertFalse(f.endOfCandidates());
        assertThrows(IllegalStateException.class, f::credentials);
        assertTrue(TrickleFragment.parse("a=end-of-candidates").endOfCandidates());
        assertTrue(TrickleFragment.parse("").candidates().isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "junk|line 1: not an SDP line",
        "a=candidate:bad|line 1: unreadable candidate",
        "a=candidate:1 2 udp 2122260222 192.0.2.1 50001 typ host|component 2",
        "a=candidate:1 1 sctp 2122260223 192.0.2.1 50000 typ host|neither UDP nor TCP",
        "a=candidate:1 1 tcp 1518280447 192.0.2.1 9 typ host|without tcptype",
        "a=ice-ufrag:ab|4-256 ice-chars",
        "a=ice-pwd:short|22-256 ice-chars",
        "a=ice-ufrag:abcd\\na=ice-ufrag:efgh|a second, different a=ice-ufrag",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\\nm=video 9 UDP/TLS/RTP/SAVPF 96|line 2: a second m= section",
        "a=end-of-candidates\\na=candidate:1 1 udp 1 192.0.2.1 1 typ host|after a=end-of-candidates",
        "a=mid:has space|a=mid must be a token",
    })
    void refusesWhatWouldChangeTheAgentsViewWithTheLine(String body, String detail) {
        BadCandidateException e = assertThrows(BadCandidateException.class,
                () -> TrickleFragment.parse(body.replace("\\n", "\n")));
        assertTrue(e.getMessage().contains(detail), e.getMessage());
        assertEquals(400, e.httpStatus());
    }

    @Test
    void boundsBytesLinesLineLengthAndCandidates() throws Exception {
        assertThrows(BadCandidateException.class, () -> TrickleFragment.parse("a=x\n".repeat(65)));
        TrickleFragment.parse("a=x\n".repeat(64));
        assertThrows(BadCandidateException.class, () -> TrickleFragment.parse("a=" + "x".repeat(1023)));
        assertThrows(BadCandidateException.class, () -> TrickleFragment.parse("\n".repeat(TrickleFragment.MAX_BYTES + 1)));
        String candidate = "a=candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host\n";
        assertEquals(32, TrickleFragment.parse(candidate.repeat(32)).candidates().size());
        BadCandidateException e = assertThrows(BadCandidateException.class,
                () -> TrickleFragment.parse(candidate.repeat(33)));
        assertTrue(e.getMessage().contains("more than 32 candidates"), e.getMessage());
    }
}
