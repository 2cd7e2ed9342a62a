package io.warmline.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsSettingsTest {

    @Test
    void toStringHidesBothPasswords() {
        TlsSettings s = new TlsSettings(Path.of("/etc/warmline/node.p12"), "key-secret-1", "pkcs12",
                Path.of("/etc/warmline/trust.p12"), "trust-secret-2", Duration.ofSeconds(5));
        assertEquals("PKCS12", s.keystoreType());
        String text = s.toString() + new SipSettings(List.of(new SipListenPoint("tls", "127.0.0.1", 5061)), null,
                65535, Duration.ofSeconds(1800), Duration.ofSeconds(90), 10, SipSettings.DEFAULT_T1, s);
        assertFalse(text.contains("key-secret-1"), text);
        assertFalse(text.contains("trust-secret-2"), text);
        assertTrue(text.contains("/etc/warmline/node.p12"), text);
    }

    @Test
    void boundsAndTypesAreChecked() {
        Path ks = Path.of("node.p12");
        assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings(ks, "pw", "PEM", null, null, Duration.ofSeconds(5)));
        assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings(ks, "pw", null, null, null, Duration.ofMillis(50)));
        assertThrows(IllegalArgumentException.class,
                () -> new TlsSettings(ks, "pw", null, null, null, Duration.ofMinutes(2)));
        assertThrows(NullPointerException.class, () -> new TlsSettings(ks, null));
    }

    @Test
    void aTlsListeningPointNeedsTlsSettings() {
        List<SipListenPoint> listen = List.of(new SipListenPoint("udp", "127.0.0.1", 5060),
                new SipListenPoint("TLS", "127.0.0.1", 5061));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SipSettings(listen, null,
                65535, Duration.ofSeconds(1800), Duration.ofSeconds(90), 10));
        assertTrue(e.getMessage().contains("tls"), e.getMessage());
        SipSettings ok = new SipSettings(listen, null, 65535, Duration.ofSeconds(1800), Duration.ofSeconds(90), 10,
                SipSettings.DEFAULT_T1, new TlsSettings(Path.of("node.p12"), "pw"));
        assertEquals(Path.of("node.p12"), ok.tls().keystore());
        assertThrows(IllegalArgumentException.class, () -> ok.withTls(null));
    }
}
