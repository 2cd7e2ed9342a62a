package io.warmline.webrtc.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IceCandidateTest {

    @Test
    void parsesBrowserCandidates() {
        IceCandidate c = IceCandidate.parse(
                "a=candidate:842163049 1 udp 1677729535 198.51.100.7 61665 typ srflx raddr 10.0.0.5 rport 61665 "
                        + "generation 0 ufrag Qw7t network-cost 999").orElseThrow();
        assertEquals("842163049", c.foundation());
        assertEquals(1, c.component());
        assertEquals("udp", c.transport());
        assertEquals(1677729535L, c.priority());
        assertEquals("198.51.100.7", c.address());
        assertEquals(61665, c.port());
        assertEquals("srflx", c.type());
        assertEquals("10.0.0.5", c.relatedAddress());
        assertEquals(61665, c.relatedPort());

        IceCandidate tcp = IceCandidate.parse("candidate:1 1 TCP 1518280447 192.0.2.1 9 typ host tcptype active")
                .orElseThrow();
        assertEquals("tcp", tcp.transport());
        assertEquals("active", tcp.tcpType());
        assertEquals("1 1 TCP 1518280447 192.0.2.1 9 typ host tcptype active", tcp.toString());
    }

    @Test
    void refusesMalformed() {
        for (String bad : new String[] {"", "candidate:1 1 udp", "candidate:1 1 udp 1 192.0.2.1 70000 typ host",
            "candidate:1 0 udp 1 192.0.2.1 1 typ host", "candidate:1 1 udp 99999999999 192.0.2.1 1 typ host",
            "candidate:1 1 udp 1 192.0.2.1 1 kind host", "candidate:1 1 udp 1 192.0.2.1 1 typ host tcptype maybe",
            "candidate:f@@ 1 udp 1 192.0.2.1 1 typ host", "candidate:1 1 udp 1 192.0.2.1 1 typ host rport x",
            "candidate:" + "1 ".repeat(300)}) {
            assertTrue(IceCandidate.parse(bad).isEmpty(), bad);
        }
    }

    @Test
    void hostCandidatesFollowRfc8445Priorities() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5000);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 5000);
        List<IceCandidate> list = IceCandidate.hostCandidates(List.of(v4, v6), List.of(v4));
        assertEquals((126L << 24) + (65535L << 8) + 255, list.get(0).priority());
        assertEquals("1", list.get(0).foundation());
        assertEquals("2", list.get(1).foundation());
        assertEquals("3", list.get(2).foundation(), "TCP on the same base has its own foundation");
        assertEquals("passive", list.get(2).tcpType());
        assertEquals("3 1 TCP " + list.get(2).priority() + " 127.0.0.1 5000 typ host tcptype passive",
                list.get(2).toString());
        assertTrue(list.get(1).ipAddress().isPresent());
    }

    @Test
    void writesIpv6Compressed() throws Exception {
        assertEquals("::1", IceCandidate.literal(InetAddress.getByName("::1")));
        assertEquals("2001:db8::1:0:0:1", IceCandidate.literal(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", IceCandidate.literal(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("fe80::1", IceCandidate.literal(InetAddress.getByName("fe80::1%1")));
        assertEquals("::", IceCandidate.literal(InetAddress.getByName("::")));
    }

    @Test
    void iceCredentialsAreValidatedAndThePasswordIsNotPrinted() {
        IceCredentials c = IceCredentials.random(new Random(7));
        assertEquals(16, c.ufrag().length());
        assertEquals(32, c.pwd().length());
        assertFalse(c.toString().contains(c.pwd()));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abc", "x".repeat(22)));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("abcd", "x".repeat(21)));
        assertThrows(IllegalArgumentException.class, () -> new IceCredentials("ab:d", "x".repeat(22)));
    }
}
