package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SdpVersionTest {
    private static String sdp(int version) {
        return "v=0\r\no=- 42 " + version + " IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
    }

    @Test
    void readsOrigin() {
        assertEquals("42 7", SdpVersion.of(sdp(7)));
        assertNull(SdpVersion.of("v=0\r\ns=-\r\n"));
        assertNull(SdpVersion.of(null));
    }

    @Test
    void sameVersionIsUnchanged() {
        assertTrue(SdpVersion.unchanged(sdp(1), sdp(1)));
        assertFalse(SdpVersion.unchanged(sdp(1), sdp(2)));
        assertFalse(SdpVersion.unchanged(null, sdp(2)));
    }

    @Test
    void multipartSdpPart() {
        String body = "--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\nContent-Type: application/sdp\r\n\r\n"
                + sdp(3) + "\r\n--b1--\r\n";
        assertEquals(sdp(3), MultipartBody.sdpPart(body, "b1"));
        assertNull(MultipartBody.sdpPart("--b1\r\nContent-Type: text/plain\r\n\r\nx\r\n--b1--\r\n", "b1"));
    }

    @Test
    void secretsAreMasked() {
        String masked = Secrets.mask("Authorization: Digest username=\"a\", response=\"abc123\", cnonce=\"zz\", nc=1");
        assertFalse(masked.contains("abc123"));
        assertFalse(masked.contains("zz"));
        assertTrue(masked.contains("username=\"a\""));
    }
}
