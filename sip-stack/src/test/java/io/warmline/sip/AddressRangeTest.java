package io.warmline.sip;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void ipv4Prefixes() throws Exception {
        AddressRange r = AddressRange.parse("192.0.2.0/25");
        assertTrue(r.contains(ip("192.0.2.1")));
        assertTrue(r.contains(ip("192.0.2.127")));
        assertFalse(r.contains(ip("192.0.2.128")));
        assertTrue(AddressRange.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
        assertTrue(AddressRange.parse("127.0.0.1").contains(ip("127.0.0.1")));
        assertFalse(AddressRange.parse("127.0.0.1").contains(ip("127.0.0.2")));
        assertTrue(r.contains(ip("::ffff:192.0.2.5")), "IPv4-mapped IPv6");
        assertFalse(r.contains(ip("2001:db8::1")));
        assertFalse(r.contains(null));
    }

    @Test
    void ipv6Prefixes() throws Exception {
        AddressRange r = AddressRange.parse("2001:db8::/33");
        assertTrue(r.contains(ip("2001:db8:7fff::1")));
        assertFalse(r.contains(ip("2001:db8:8000::1")));
    }

    @Test
    void badInput() {
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("example.com/8"));
        assertThrows(IllegalArgumentException.class, () -> AddressRange.parse("10.0.0.0/x"));
    }

    @Test
    void trunkAdmission() throws Exception {
        Trunk t = new Trunk("t", "192.0.2.10", 5060, "UDP", null, 0, null, null,
                List.of(AddressRange.parse("192.0.2.0/24")), List.of("+4930*", "100"), Duration.ofSeconds(30), Map.of());
        assertTrue(t.admits(ip("192.0.2.9"), "+4930123"));
        assertTrue(t.admits(ip("192.0.2.9"), "100"));
        assertFalse(t.admits(ip("192.0.2.9"), "1000"));
        assertFalse(t.admits(ip("198.51.100.1"), "100"));
        assertFalse(t.admits(ip("192.0.2.9"), null));
        assertThrows(IllegalArgumentException.class, () -> new Trunk("t", "h", 5060, "udp", null, 0, null, null,
                List.of(), List.of("1*2"), Duration.ofSeconds(1), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new Trunk("t", "h", 5060, "udp", null, 0, null, null,
                List.of(), List.of(), Duration.ofSeconds(1), Map.of("Bad Header", "x")));
        assertFalse(new DigestCredentials("u", "hunter2", null).toString().contains("hunter2"));
    }
}
