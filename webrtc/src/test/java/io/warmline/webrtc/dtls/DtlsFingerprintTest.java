package io.warmline.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DtlsFingerprintTest {
    private static final byte[] DATA = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void formatsAsRfc8122UpperCaseHexPairs() throws Exception {
        // FIPS 180-2 SHA-256("abc").
        DtlsFingerprint f = DtlsFingerprint.of("SHA-256", DATA);
        assertEquals("sha-256 BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:"
                + "15:AD", f.sdpValue());
        assertEquals("a=fingerprint:" + f.sdpValue(), f.sdpAttribute());
    }

    @Test
    void parsesWhatItFormatsAndLowerCaseHex() throws Exception {
        DtlsFingerprint f = DtlsFingerprint.of("sha-256", DATA);
        assertEquals(f, DtlsFingerprint.parse(f.sdpValue()));
        assertEquals(f, DtlsFingerprint.parse("  SHA-256 " + f.sdpValue().substring(8).toLowerCase() + " "));
        assertTrue(DtlsFingerprint.parse(f.sdpValue()).matches(DATA));
        assertFalse(DtlsFingerprint.parse(f.sdpValue()).matches(new byte[] {1}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha-1", "sha-224", "sha-256", "sha-384", "sha-512"})
    void everySupportedHashRoundTrips(String algorithm) throws Exception {
        DtlsFingerprint f = DtlsFingerprint.of(algorithm, DATA);
        assertEquals(f, DtlsFingerprint.parse(f.sdpValue()));
        assertEquals(algorithm, f.algorithm());
    }

    @Test
    void sha1KnownAnswer() throws Exception {
        assertEquals("sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
                DtlsFingerprint.of("sha-1", DATA).sdpValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "sha-256", "md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF",
        "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8",
        "sha-1 A9-99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
        "sha-1 G9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D",
        "sha-1 A9:99:3E:36:47:06:81:6A:BA:3E:25:71:78:50:C2:6C:9C:D0:D8:9D:00"})
    void refusesMalformedOrWeakFingerprints(String text) {
        assertThrows(DtlsFingerprintException.class, () -> DtlsFingerprint.parse(text));
    }

    @Test
    void refusesOverlongInput() {
        assertThrows(DtlsFingerprintException.class, () -> DtlsFingerprint.parse("sha-256 " + "A".repeat(300)));
    }

    @Test
    void generatedCertificateIsP256AndCarriesItsFingerprint() throws Exception {
        DtlsCertificate c = DtlsCertificate.generate();
        assertTrue(c.fingerprint().matches(c.encoded()));
        java.security.cert.X509Certificate x509 = (java.security.cert.X509Certificate)
                java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCertificate(new java.io.ByteArrayInputStream(c.encoded()));
        x509.verify(x509.getPublicKey());
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals(256, ((java.security.interfaces.ECPublicKey) x509.getPublicKey()).getParams().getCurve()
                .getField().getFieldSize());
        assertFalse(c.fingerprint().equals(DtlsCertificate.generate().fingerprint()));
    }

    @Test
    void roleFollowsOurSetupAttribute() {
        assertEquals(DtlsRole.SERVER, DtlsRole.forLocalSetup("passive"));
        assertEquals(DtlsRole.CLIENT, DtlsRole.forLocalSetup("active"));
        assertThrows(IllegalArgumentException.class, () -> DtlsRole.forLocalSetup("actpass"));
        assertEquals("passive", DtlsRole.SERVER.sdpSetup());
    }
}
