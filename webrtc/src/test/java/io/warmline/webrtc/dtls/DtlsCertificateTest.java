package io.warmline.webrtc.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class DtlsCertificateTest {
    @Test
    void generatesASelfSignedP256CertificateWithItsSha256Fingerprint() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        DtlsCertificate c = DtlsCertificate.generate(now, Duration.ofDays(7));
        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(c.encoded()));
        x509.verify(x509.getPublicKey());
        assertEquals("SHA256withECDSA", x509.getSigAlgName());
        assertEquals(256, ((ECPublicKey) x509.getPublicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals(now.plus(Duration.ofDays(7)), x509.getNotAfter().toInstant());
        assertEquals(x509.getSubjectX500Principal(), x509.getIssuerX500Principal());
        assertEquals("sha-256", c.fingerprint().hashFunction());
        assertTrue(c.fingerprint().matches(c.encoded()));
        assertTrue(c.fingerprint().toString().matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}"));
    }

    @Test
    void eachGenerationIsANewKeyAndCertificate() {
        assertNotEquals(DtlsCertificate.generate().fingerprint(), DtlsCertificate.generate().fingerprint());
    }
}
