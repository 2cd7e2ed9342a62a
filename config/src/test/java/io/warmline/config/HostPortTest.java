package io.warmline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

    @Test
    void parsesTheAcceptedForms() {
        assertEquals(new HostPort("127.0.0.1", 5060), HostPort.parse("127.0.0.1:5060", 1));
        assertEquals(new HostPort("sip.carrier.example", 5060), HostPort.parse("sip.carrier.example", 5060));
        assertEquals(new HostPort("::1", 5060), HostPort.parse("[::1]:5060", 1));
        assertEquals(new HostPort("2001:db8::1", 5061), HostPort.parse("[2001:db8::1]", 5061));
        assertEquals(new HostPort("localhost", 1), HostPort.parse("localhost:1", 5060));
        assertEquals(new HostPort("example.com.", 65535), HostPort.parse("example.com.:65535", 5060));
    }

    @Test
    void formatsWithBracketsForIpv6() {
        assertEquals("[::1]:5060", new HostPort("::1", 5060).toString());
        assertEquals("192.0.2.1:5080", new HostPort("192.0.2.1", 5080).toString());
        assertEquals("[2001:db8::1]:5061", HostPort.parse("[2001:db8::1]", 5061).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ":5060", "host:", "host:0", "host:65536", "host:-1", "host:50x", "host:123456",
        "::1", "::1:5060", "[::1", "[::1]5060", "[127.0.0.1]:5060", "[nothost]:1", "256.1.1.1:5060", "1.2.3:5060",
        "01.2.3.4:5060", "-bad.example:5060", "bad-.example", "a..b", "under_score.example", "sp ace:5060",
        "[::1]:", "[::1]:99999"})
    void refusesMalformedInput(String s) {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(s, 5060));
    }

    @Test
    void portIsRequiredWhenThereIsNoDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse("host", -1));
        assertTrue(e.getMessage().contains("port is required"));
    }

    @Test
    void boundsTheInputLength() {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("a".repeat(100_000) + ":5060", 1));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("a".repeat(64) + ".example:5060", 1));
    }

    @Test
    void knowsWildcards() {
        assertTrue(new HostPort("0.0.0.0", 5060).isWildcard());
        assertTrue(new HostPort("::", 5060).isWildcard());
        assertTrue(new HostPort("0:0::0", 5060).isWildcard());
        assertFalse(new HostPort("127.0.0.1", 5060).isWildcard());
        assertFalse(new HostPort("localhost", 5060).isWildcard());
    }

    @Test
    void constructorChecksItsInvariants() {
        assertThrows(IllegalArgumentException.class, () -> new HostPort("", 1));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("[::1]", 1));
        assertThrows(IllegalArgumentException.class, () -> new HostPort("h", 65536));
        assertEquals(0, new HostPort("127.0.0.1", 0).port());
    }
}
