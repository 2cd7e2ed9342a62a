package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.SipStartException;
import io.warmline.sip.TlsSettings;
import io.warmline.sip.testing.TestCerts;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;

class TlsMaterialTest {

    @Test
    void stackPropertiesRestrictProtocolsAndSuitesAndSetNoJvmWideKeys() throws Exception {
        TestCerts certs = TestCerts.get();
        TlsMaterial m = TlsMaterial.load(new TlsSettings(certs.pkcs12, TestCerts.PASSWORD, null, null, null,
                Duration.ofSeconds(3)));
        Properties p = new Properties();
        m.addStackProperties(p);
        assertEquals("TLSv1.3,TLSv1.2", p.getProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS"));
        assertEquals("Disabled", p.getProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE"));
        assertEquals("3000", p.getProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT"));
        assertEquals(TlsNetworkLayer.class.getName(), p.getProperty("gov.nist.javax.sip.NETWORK_LAYER"));
        String suites = p.getProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES");
        assertTrue(suites.startsWith("TLS_AES_256_GCM_SHA384,"), suites);
        assertTrue(suites.contains("TLS_RSA_WITH_AES_128_CBC_SHA"), "RFC 3261 §26.2.1 mandatory suite");
        for (String weak : new String[]{"3DES", "_anon_", "NULL", "RC4", "EXPORT", "_DES_"}) {
            assertFalse(suites.contains(weak), weak + " in " + suites);
        }
        for (String key : p.stringPropertyNames()) {
            assertFalse(key.startsWith("javax.net.ssl"), key);
            assertFalse(p.getProperty(key).contains(TestCerts.PASSWORD), key);
        }
    }

    @Test
    void serverSocketsOfferOnlyTls13And12AndAskNoClientCertificate() throws Exception {
        TestCerts certs = TestCerts.get();
        TlsNetworkLayer layer = new TlsNetworkLayer();
        layer.attach(TlsMaterial.load(new TlsSettings(certs.jks, TestCerts.PASSWORD)));
        try (SSLServerSocket s = layer.createSSLServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String[] protocols = s.getEnabledProtocols();
            Arrays.sort(protocols);
            assertArrayEquals(new String[]{"TLSv1.2", "TLSv1.3"}, protocols);
            assertFalse(s.getNeedClientAuth());
            assertFalse(s.getWantClientAuth());
            assertEquals("TLS_AES_256_GCM_SHA384", s.getEnabledCipherSuites()[0]);
        }
    }

    @Test
    void aLayerWithoutMaterialRefusesTls() {
        assertThrows(java.io.IOException.class, () -> new TlsNetworkLayer()
                .createSSLServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    }

    @Test
    void hostNamesAreCheckedOnlyWhenTheAddressCarriesOne() throws Exception {
        assertTrue(TlsNetworkLayer.givenByName(InetAddress.getByAddress("carrier.example", new byte[]{(byte) 203, 0, 113, 5})));
        assertFalse(TlsNetworkLayer.givenByName(InetAddress.getByName("203.0.113.5")));
        assertFalse(TlsNetworkLayer.givenByName(InetAddress.getByName("::1")));
    }

    @Test
    void aWrongTrustStorePasswordIsReportedWithoutIt() throws Exception {
        TestCerts certs = TestCerts.get();
        SipStartException e = assertThrows(SipStartException.class, () -> TlsMaterial.load(new TlsSettings(
                certs.pkcs12, TestCerts.PASSWORD, null, certs.truststore, "not-" + TestCerts.TRUST_PASSWORD,
                TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT)));
        assertEquals("TLS trust store " + certs.truststore + ": wrong password", e.getMessage());
    }

    @Test
    void anExplicitTypeIsUsed() throws Exception {
        TestCerts certs = TestCerts.get();
        TlsMaterial.load(new TlsSettings(certs.jks, TestCerts.PASSWORD, "jks", null, null,
                TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT));
        SipStartException e = assertThrows(SipStartException.class, () -> TlsMaterial.load(new TlsSettings(
                certs.dir.resolve("node.jks"), "wrong-password", "JKS", null, null,
                TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT)));
        assertTrue(e.getMessage().endsWith(": wrong password"), e.getMessage());
    }
}
