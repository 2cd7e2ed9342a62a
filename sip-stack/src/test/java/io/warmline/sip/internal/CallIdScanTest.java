package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CallIdScanTest {

    private static final String HEAD = "INVITE sip:1000@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n";

    private static String found(String message) {
        byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
        return valueOf(b, CallIdScan.find(b, 0, b.length));
    }

    private static String valueOf(byte[] b, long found) {
        if (found == CallIdScan.NOT_FOUND) {
            return null;
        }
        int start = (int) (found >>> 32);
        int end = (int) found;
        return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    @Test
    void fullAndCompactNamesInAnyCase() {
        assertEquals("a84b4c76e66710@pc33", found(HEAD + "Call-ID: a84b4c76e66710@pc33\r\nCSeq: 1 INVITE\r\n\r\n"));
        assertEquals("x", found(HEAD + "CALL-ID:x\r\n\r\n"));
        assertEquals("x", found(HEAD + "call-id :\tx \r\n\r\n"));
        assertEquals("y@h", found(HEAD + "i: y@h\r\n\r\n"));
        assertEquals("y", found(HEAD + "I  :y\r\n\r\n"));
        assertEquals("z", found(HEAD + "Call-ID: z"), "value at the very end of the datagram");
    }

    @Test
    void lineEndingsFoldingAndLeadingEmptyLines() {
        assertEquals("lf", found("OPTIONS sip:a SIP/2.0\nVia: x\nCall-ID: lf\n\n"));
        assertEquals("folded", found(HEAD + "Call-ID:\r\n   folded\r\n\r\n"), "RFC 3261 §7.3.1 folding");
        assertEquals("folded", found(HEAD + "Call-ID:\n\tfolded\n\n"));
        assertEquals("after", found("\r\n\r\n" + HEAD + "Call-ID: after\r\n\r\n"), "RFC 3261 §7.5");
        assertEquals("resp", found("SIP/2.0 200 OK\r\ni:resp\r\n\r\n"));
    }

    @Test
    void onlyHeaderNamesAtLineStartsInTheHeaderSection() {
        assertEquals(null, found(HEAD + "CSeq: 1 INVITE\r\n\r\nCall-ID: inbody\r\n"), "after the empty line");
        assertEquals(null, found(HEAD + "CSeq: 1 INVITE\n\nCall-ID: inbody\n"));
        assertEquals(null, found("Call-ID: start-line\r\nVia: x\r\n\r\n"), "the start line is no header");
        assertEquals(null, found(HEAD + "X-Call-ID: other\r\nSubject: i: no\r\n\r\n"));
        assertEquals(null, found(HEAD + "Subject: hello\r\n Call-ID: continuation\r\n\r\n"));
        assertEquals(null, found(HEAD + "Call-Info: <http://x>\r\nIdentity: abc\r\nin: x\r\n\r\n"));
        assertEquals(null, found(HEAD + "Call-ID:\r\n\r\n"), "empty value");
        assertEquals(null, found(HEAD + "Call-ID \r\n: x\r\n\r\n"), "the colon is on the next line");
        assertEquals("second", found(HEAD + "Call-Idx: no\r\nCall-ID: second\r\n\r\n"));
        assertEquals(null, found(""));
        assertEquals(null, found("\r\n\r\n"));
    }

    @Test
    void theRangeBoundsTheScan() {
        String msg = HEAD + "Call-ID: inside\r\n\r\n";
        byte[] framed = ("garbage\r\nCall-ID: before\r\n" + msg + "Call-ID: beyond\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        int off = "garbage\r\nCall-ID: before\r\n".length();
        assertEquals("inside", valueOf(framed, CallIdScan.find(framed, off, msg.length())));
        int cut = msg.indexOf("inside") + 3;
        assertEquals("ins", valueOf(framed, CallIdScan.find(framed, off, cut)), "value cut at the range's end");
        assertEquals(CallIdScan.NOT_FOUND, CallIdScan.find(framed, off, msg.indexOf("Call-ID") + 4));
        assertEquals(CallIdScan.NOT_FOUND, CallIdScan.find(framed, -1, 10));
        assertEquals(CallIdScan.NOT_FOUND, CallIdScan.find(framed, framed.length, 10));
        assertEquals(CallIdScan.NOT_FOUND, CallIdScan.find(framed, 0, 0));
        assertEquals(CallIdScan.NOT_FOUND, CallIdScan.find(framed, 0, -5));
        byte[] whole = msg.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("inside", valueOf(whole, CallIdScan.find(whole, 0, Integer.MAX_VALUE)), "cut at the array");
    }

    @Test
    void theHashDependsOnTheValueOnly() {
        byte[] a = (HEAD + "Call-ID: same@host\r\nCSeq: 1 INVITE\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] b = ("ACK sip:x SIP/2.0\r\ni:same@host\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] c = (HEAD + "Call-ID: Same@host\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(CallIdScan.hash(a, 0, a.length), CallIdScan.hash(b, 0, b.length));
        assertTrue(CallIdScan.hash(a, 0, a.length) >= 0);
        assertNotEquals(CallIdScan.hash(a, 0, a.length), CallIdScan.hash(c, 0, c.length), "§20.8: case-sensitive");
        byte[] none = (HEAD + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(-1, CallIdScan.hash(none, 0, none.length));
    }

    /** The scan agrees with the RI's parser on every RFC 4475 torture message the parser accepts. */
    @Test
    void agreesWithTheParserOnTheTortureMessages() throws Exception {
        int compared = 0;
        for (byte[] raw : tortureMessages()) {
            assertInRange(raw, 0, raw.length);
            SIPMessage m;
            try {
                m = new StringMsgParser().parseSIPMessage(raw, true, false, null);
            } catch (java.text.ParseException | RuntimeException e) {
                continue;
            }
            if (m == null || m.getCallId() == null) {
                continue;
            }
            assertEquals(m.getCallId().getCallId(), valueOf(raw, CallIdScan.find(raw, 0, raw.length)),
                    new String(raw, StandardCharsets.ISO_8859_1));
            compared++;
        }
        assertTrue(compared >= 25, "torture messages compared with the parser: " + compared);
    }

    /** Every prefix of every torture message, with a Call-ID planted right after it: never found beyond the end. */
    @Test
    void prefixesNeverReachPastTheirEnd() throws Exception {
        byte[] tail = "\r\nCall-ID: beyond\r\ni: beyond\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] raw : tortureMessages()) {
            for (int len = 0; len <= raw.length; len++) {
                byte[] b = new byte[len + tail.length];
                System.arraycopy(raw, 0, b, 0, len);
                System.arraycopy(tail, 0, b, len, tail.length);
                long f = CallIdScan.find(b, 0, len);
                assertTrue(f == CallIdScan.NOT_FOUND || (int) f <= len, "found past the end at length " + len);
            }
        }
    }

    /** Bounded random bytes and random mutations of the torture messages: no throw, every result in range. */
    @Test
    void fuzzedInputNeverThrowsNorLeavesItsRange() throws Exception {
        Random r = new Random(0x5eed);
        List<byte[]> seeds = tortureMessages();
        byte[][] tokens = {"Call-ID".getBytes(StandardCharsets.ISO_8859_1), "cAlL-iD".getBytes(StandardCharsets.ISO_8859_1),
                {'i'}, {'I'}, {':'}, {'\r', '\n'}, {'\n'}, {'\r'}, {' '}, {'\t'}, {'@'}, {'-'}, {(byte) 0xff}, {0}};
        for (int round = 0; round < 20_000; round++) {
            byte[] b;
            if (round % 2 == 0) {
                b = new byte[r.nextInt(400)];
                int i = 0;
                while (i < b.length) {
                    if (r.nextInt(3) == 0) {
                        byte[] t = tokens[r.nextInt(tokens.length)];
                        int n = Math.min(t.length, b.length - i);
                        System.arraycopy(t, 0, b, i, n);
                        i += n;
                    } else {
                        b[i++] = (byte) r.nextInt(256);
                    }
                }
            } else {
                byte[] seed = seeds.get(r.nextInt(seeds.size()));
                b = java.util.Arrays.copyOf(seed, r.nextInt(seed.length + 1));
                for (int k = r.nextInt(8); k > 0 && b.length > 0; k--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
            }
            int off = b.length == 0 ? r.nextInt(3) - 1 : r.nextInt(b.length + 2) - 1;
            int len = r.nextInt(b.length + 3) - 1;
            if (r.nextInt(10) == 0) {
                len = Integer.MAX_VALUE - r.nextInt(3);
            }
            assertInRange(b, off, len);
            int h = CallIdScan.hash(b, off, len);
            assertTrue(h >= -1);
        }
    }

    private static void assertInRange(byte[] b, int off, int len) {
        long f = CallIdScan.find(b, off, len);
        if (f == CallIdScan.NOT_FOUND) {
            return;
        }
        int start = (int) (f >>> 32);
        int end = (int) f;
        long limit = Math.min((long) off + len, b.length);
        assertTrue(off >= 0 && start > off && start < end && end <= limit,
                "value [" + start + ", " + end + ") outside [" + off + ", " + limit + ")");
        for (int i = start; i < end; i++) {
            assertTrue(b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n', "whitespace in the value");
        }
    }

    private static List<byte[]> tortureMessages() throws Exception {
        Path dir = Path.of(System.getProperty("warmline.shared", "../../shared"), "vectors", "rfc4475");
        List<byte[]> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".dat")).sorted().toList()) {
                all.add(Files.readAllBytes(f));
            }
        }
        assertTrue(all.size() >= 40, "RFC 4475 vectors in " + dir + ": " + all.size());
        return all;
    }
}
