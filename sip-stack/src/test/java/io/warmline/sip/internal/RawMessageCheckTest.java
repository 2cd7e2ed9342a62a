package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawMessageCheckTest {

    private static RawMessageCheck.Defect check(String s) {
        return RawMessageCheck.check(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void cleanRequestPasses() {
        assertNull(check("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\nVia: SIP/2.0/UDP h\r\nVia: SIP/2.0/UDP g\r\n\r\n"));
        assertNull(check("SIP/2.0 200 OK\r\nCall-ID: x\r\nCall-ID: y\r\n\r\n"), "responses are not judged");
    }

    @Test
    void repeatedSingleValueHeadersIncludingCompactForms() {
        assertEquals(RawMessageCheck.Defect.DUPLICATE_HEADER, check("INVITE sip:a@b SIP/2.0\r\nCall-ID: x\r\ni: y\r\n\r\n"));
        assertEquals(RawMessageCheck.Defect.DUPLICATE_HEADER, check("INVITE sip:a@b SIP/2.0\r\nl: 1\r\nContent-Length: 2\r\n\r\n"));
        assertNull(check("INVITE sip:a@b SIP/2.0\r\nTo: a\r\n\r\nTo: in the body\r\n"), "body lines are not headers");
        assertNull(check("INVITE sip:a@b SIP/2.0\r\nSubject: a\r\n To: folded\r\n\r\n"), "folded line");
    }

    @Test
    void versionMustBe20() {
        assertEquals(RawMessageCheck.Defect.VERSION, check("OPTIONS sip:a@b SIP/7.0\r\nCall-ID: x\r\n\r\n"));
        assertNull(check("OPTIONS sip:a@b SIP/2.0  \r\n\r\n"), "trailing SP tolerated (RFC 4475 §3.1.2.10)");
        assertEquals(505, RawMessageCheck.Defect.VERSION.status());
    }
}
