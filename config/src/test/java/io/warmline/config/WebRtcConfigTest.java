package io.warmline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebRtcConfigTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void defaultsToTheAdvertisedAddressOnTheDefaultPort() throws Exception {
        WebRtcConfig w = ConfigLoader.defaults().webrtc();
        assertEquals(List.of(InetAddress.getByName("127.0.0.1")), w.addresses());
        assertEquals(7882, w.port());
        assertEquals(true, w.tcp());
        assertEquals(Duration.ofSeconds(10), w.handshakeTimeout());
        WebRtcConfig fromNode = ConfigLoader.load(file("node: { advertised-address: 192.0.2.7 }\n"), n -> null)
                .config().webrtc();
        assertEquals(List.of(InetAddress.getByName("192.0.2.7")), fromNode.addresses());
    }

    @Test
    void bindsEveryKey() throws Exception {
        WebRtcConfig w = ConfigLoader.load(file("""
                webrtc:
                  port: 40000
                  tcp: false
                  addresses: [ 192.0.2.7, "2001:db8::7" ]
                  handshake-timeout: 5s
                  allowed-peers: [ 198.51.100.0/24, "2001:db8::/32" ]
                """), n -> null).config().webrtc();
        assertEquals(new WebRtcConfig(List.of(InetAddress.getByName("192.0.2.7"), InetAddress.getByName("2001:db8::7")),
                40000, false, Duration.ofSeconds(5),
                List.of(Cidr.parse("198.51.100.0/24"), Cidr.parse("2001:db8::/32"))), w);
        assertEquals(true, w.allowsPeer(InetAddress.getByName("198.51.100.9")));
        assertEquals(true, w.allowsPeer(InetAddress.getByName("2001:db8::1")));
        assertEquals(false, w.allowsPeer(InetAddress.getByName("192.0.2.2")));
        assertEquals(true, ConfigLoader.defaults().webrtc().allowsPeer(InetAddress.getByName("192.0.2.2")));
    }

    @Test
    void reportsMistakesWithTheirPaths() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file("""
                webrtc:
                  port: 80
                  tcp: maybe
                  addresses: [ example.com, 0.0.0.0, 192.0.2.1, 192.0.2.1 ]
                  handshake-timeout: 2m
                  allowed-peers: [ 10.0.0.0/33 ]
                """), n -> null));
        String m = e.getMessage();
        for (String part : new String[] {"webrtc.port", "must be 1024..65535", "webrtc.tcp", "expected true or false",
                "webrtc.addresses[0]", "cannot be a name", "webrtc.addresses[1]", "not 0.0.0.0",
                "webrtc.addresses[3]", "listed twice", "webrtc.handshake-timeout", "webrtc.allowed-peers[0]"}) {
            if (!m.contains(part)) {
                throw new AssertionError("missing '" + part + "' in:\n" + m);
            }
        }
    }

    @Test
    void aNamedAdvertisedAddressNeedsExplicitCandidateAddresses() throws Exception {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                file("node: { advertised-address: sip.example.com }\n"), n -> null));
        if (!e.getMessage().contains("webrtc.addresses") || !e.getMessage().contains("is a name")) {
            throw new AssertionError(e.getMessage());
        }
    }
}
