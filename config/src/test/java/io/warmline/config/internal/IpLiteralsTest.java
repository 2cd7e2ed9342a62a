package io.warmline.config.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "192.0.2.1", "::", "::1", "1::", "2001:db8::1",
        "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::8", "::ffff:192.0.2.1", "64:ff9b::192.0.2.33",
        "1:2:3:4:5:6:1.2.3.4", "FE80::ABCD", "0:0:0:0:0:0:0:0"})
    void agreesWithTheJdkOnValidLiterals(String s) throws Exception {
        byte[] ours = IpLiterals.parse(s);
        // InetAddress.getByName does not resolve literals; for IPv4-mapped input it returns the 4-byte form.
        byte[] jdk = InetAddress.getByName(s).getAddress();
        if (ours != null && ours.length == 16 && jdk.length == 4) {
            assertTrue(IpLiterals.isV4Mapped(ours), s);
            byte[] tail = new byte[] {ours[12], ours[13], ours[14], ours[15]};
            assertArrayEquals(jdk, tail, s);
        } else {
            assertArrayEquals(jdk, ours, s);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.", ".1.2.3.4", "1.2.3.256", "01.2.3.4", "1.2.3.4 ", "1..2.3",
        ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::",
        "g::1", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.4:5", "::1%eth0", "1:2:3:4:5:6:7:8::", "::1.2.3.04"})
    void refusesMalformedLiterals(String s) {
        assertNull(IpLiterals.parse(s), s);
    }
}
