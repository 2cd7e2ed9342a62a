package io.warmline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    /** An IPv4-mapped address kept as an Inet6Address (as some socket layers deliver it). */
    private static InetAddress mapped(int a, int b, int c, int d) throws Exception {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    @Test
    void ipv4Networks() throws Exception {
        Cidr c = Cidr.parse("203.0.113.0/24");
        assertEquals(24, c.prefixLength());
        assertTrue(c.contains(ip("203.0.113.0")));
        assertTrue(c.contains(ip("203.0.113.255")));
        assertFalse(c.contains(ip("203.0.114.1")));
        assertFalse(c.contains(ip("2001:db8::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("198.51.100.7")));
        Cidr odd = Cidr.parse("10.0.0.0/9");
        assertTrue(odd.contains(ip("10.127.255.255")));
        assertFalse(odd.contains(ip("10.128.0.0")));
    }

    @Test
    void bareAddressIsAHostRoute() throws Exception {
        assertEquals(Cidr.parse("127.0.0.1/32"), Cidr.parse("127.0.0.1"));
        assertEquals(Cidr.parse("2001:db8::1/128"), Cidr.parse("2001:db8::1"));
        assertFalse(Cidr.parse("127.0.0.1").contains(ip("127.0.0.2")));
    }

    @Test
    void ipv6Networks() throws Exception {
        Cidr c = Cidr.parse("2001:db8::/32");
        assertTrue(c.contains(ip("2001:db8:ffff::1")));
        assertFalse(c.contains(ip("2001:db9::1")));
        assertFalse(c.contains(ip("192.0.2.1")));
        assertEquals("2001:db8::/32", c.toString());
        assertEquals("::/0", Cidr.parse("::/0").toString());
        assertEquals("2001:db8:0:1::/64", Cidr.parse("2001:DB8:0:1::/64").toString());
    }

    @Test
    void ipv4MappedAddressesMatchIpv4Networks() throws Exception {
        Cidr c = Cidr.parse("203.0.113.0/24");
        assertTrue(c.contains(mapped(203, 0, 113, 9)));
        assertFalse(c.contains(mapped(203, 0, 114, 9)));
        assertTrue(Cidr.parse("::ffff:203.0.113.0/120").contains(ip("203.0.113.5")));
        assertEquals(Cidr.parse("203.0.113.0/24"), Cidr.parse("::ffff:203.0.113.0/120"));
        assertTrue(Cidr.parse("::/0").contains(ip("192.0.2.1")));
    }

    @Test
    void hostBitsMustBeZero() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse("192.0.2.1/24"));
        assertTrue(e.getMessage().contains("192.0.2.0/24"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("2001:db8::1/64"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/24", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/024", "1.2.3.4/-1", "1.2.3.4/2a",
        "2001:db8::/129", "1.2.3/24", "1.2.3.4.5", "256.0.0.0/8", "example.com/24", "[::1]/128", "1:2:3:4:5:6:7:8:9",
        "1::2::3", "::1%eth0", "fe80::1%1/64", "12345::/16", "1.2.3.4/32/1"})
    void refusesMalformedInput(String s) {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse(s));
    }

    @Test
    void boundsTheInputLength() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("1".repeat(10_000)));
    }
}
