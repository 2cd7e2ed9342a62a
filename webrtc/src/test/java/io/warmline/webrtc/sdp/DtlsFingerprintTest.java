package io.warmline.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DtlsFingerprintTest {

    @Test
    void sha256OfKnownInput() {
        // FIPS 180-2 example: SHA-256("abc").
        DtlsFingerprint f = DtlsFingerprint.of("SHA-256", "abc".getBytes(StandardCharsets.US_ASCII));
        assertEquals("sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00"
                + ":15:AD", f.toString());
        assertTrue(f.matches("abc".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(f.matches("abd".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void parsesEitherCaseAndRoundTrips() {
        DtlsFingerprint f = DtlsFingerprint.of("sha-1", new byte[] {1, 2, 3});
        assertEquals(f, DtlsFingerprint.parse(f.toString()).orElseThrow());
        assertEquals(f, DtlsFingerprint.parse(f.toString().toLowerCase(java.util.Locale.ROOT)).orElseThrow());
        assertEquals(f, DtlsFingerprint.parse("SHA-1 " + f.toString().substring(6)).orElseThrow());
        assertNotEquals(f, DtlsFingerprint.of("sha-1", new byte[] {1, 2, 4}));
    }

    @Test
    void refusesMalformedAndUncheckable() {
        assertTrue(DtlsFingerprint.parse("md5 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10").isEmpty());
        assertTrue(DtlsFingerprint.parse("sha-1 01:02").isEmpty());
        assertTrue(DtlsFingerprint.parse("sha-1 0102030405060708090A0B0C0D0E0F1011121314").isEmpty());
        assertTrue(DtlsFingerprint.parse("sha-1 01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:1G")
                .isEmpty());
        assertTrue(DtlsFingerprint.parse("sha-256").isEmpty());
        assertTrue(DtlsFingerprint.parse(null).isEmpty());
        assertTrue(DtlsFingerprint.parse("x".repeat(1000)).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new DtlsFingerprint("sha-256", new byte[3]));
    }
}
