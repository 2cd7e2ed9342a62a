package io.warmline.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** RFC 5769: the codec decodes every vector, checks its MI and FINGERPRINT, and rebuilds the short-term ones byte-exact. */
class StunRfc5769Test {

    private static final byte[] KEY = Rfc5769Vectors.PASSWORD.getBytes(StandardCharsets.UTF_8);

    @Test
    void sampleRequestDecodesAndVerifies() {
        StunMessage m = parse(Rfc5769Vectors.REQUEST);
        assertEquals(StunMessage.BINDING_REQUEST, m.messageType());
        assertEquals(StunClass.REQUEST, m.messageClass());
        assertEquals(StunMessage.METHOD_BINDING, m.method());
        assertArrayEquals(Rfc5769Vectors.TRANSACTION_ID, m.transactionId());
        assertEquals("STUN test client", m.software());
        assertEquals(0x6e0001ffL, m.priority());
        assertTrue(m.hasIceControlled());
        assertEquals(0x932ff9b151263b36L, m.iceControlled());
        assertFalse(m.hasIceControlling());
        assertFalse(m.useCandidate());
        assertEquals("evtj:h6vY", m.username());
        assertTrue(m.fingerprintValid());
        assertTrue(m.integrityMatches(KEY));
        assertFalse(m.integrityMatches("VOkJxbRl1RmTxUk/WvJxBu".getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, m.unknownComprehensionRequired().length);
    }

    @Test
    void sampleRequestBuildsByteExact() {
        byte[] built = new StunMessageBuilder(StunMessage.BINDING_REQUEST, Rfc5769Vectors.TRANSACTION_ID)
                .software("STUN test client")
                .priority(0x6e0001ffL)
                .iceControlled(0x932ff9b151263b36L)
                .padding((byte) ' ')
                .username("evtj:h6vY")
                .messageIntegrity(KEY)
                .fingerprint()
                .build();
        assertArrayEquals(Rfc5769Vectors.REQUEST, built);
    }

    @Test
    void ipv4ResponseDecodesAndBuildsByteExact() throws Exception {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        StunMessage m = parse(Rfc5769Vectors.RESPONSE_IPV4);
        assertEquals(StunMessage.BINDING_SUCCESS, m.messageType());
        assertEquals(StunClass.SUCCESS_RESPONSE, m.messageClass());
        assertEquals("test vector", m.software());
        assertEquals(mapped, m.xorMappedAddress());
        assertTrue(m.fingerprintValid());
        assertTrue(m.integrityMatches(KEY));

        byte[] built = new StunMessageBuilder(StunMessage.BINDING_SUCCESS, Rfc5769Vectors.TRANSACTION_ID)
                .padding((byte) ' ')
                .software("test vector")
                .xorMappedAddress(mapped)
                .messageIntegrity(KEY)
                .fingerprint()
                .build();
        assertArrayEquals(Rfc5769Vectors.RESPONSE_IPV4, built);
    }

    @Test
    void ipv6ResponseDecodesAndBuildsByteExact() throws Exception {
        InetSocketAddress mapped =
                new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        StunMessage m = parse(Rfc5769Vectors.RESPONSE_IPV6);
        assertEquals(mapped, m.xorMappedAddress());
        assertTrue(m.fingerprintValid());
        assertTrue(m.integrityMatches(KEY));

        byte[] built = new StunMessageBuilder(StunMessage.BINDING_SUCCESS, Rfc5769Vectors.TRANSACTION_ID)
                .padding((byte) ' ')
                .software("test vector")
                .xorMappedAddress(mapped)
                .messageIntegrity(KEY)
                .fingerprint()
                .build();
        assertArrayEquals(Rfc5769Vectors.RESPONSE_IPV6, built);
    }

    @Test
    void longTermRequestVerifiesWithMd5Key() throws Exception {
        StunMessage m = parse(Rfc5769Vectors.REQUEST_LONG_TERM);
        String username = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        assertEquals(username, m.username());
        assertFalse(m.hasFingerprint());
        assertNull(m.software());
        // RFC 8489 §9.2.2: key = MD5(username ":" realm ":" SASLprep(password)); SASLprep("The\u00ADM\u00AAtr\u2168") is "TheMatrIX".
        byte[] key = MessageDigest.getInstance("MD5")
                .digest((username + ":example.org:TheMatrIX").getBytes(StandardCharsets.UTF_8));
        assertTrue(m.integrityMatches(key));
        assertFalse(m.integrityMatches(KEY));
    }

    @Test
    void everyFlippedBitIsCaughtByIntegrityOrFingerprintOrParsing() {
        byte[] v = Rfc5769Vectors.REQUEST;
        for (int bit = 0; bit < v.length * 8; bit++) {
            byte[] c = v.clone();
            c[bit / 8] ^= (byte) (1 << (bit % 8));
            StunParseResult r = StunDecoder.decode(c, 0, c.length);
            if (r instanceof StunParseResult.Parsed p) {
                StunMessage m = p.message();
                assertFalse(m.fingerprintValid() && m.integrityMatches(KEY), "bit " + bit + " went unnoticed");
            }
        }
    }

    static StunMessage parse(byte[] bytes) {
        StunParseResult r = StunDecoder.decode(bytes, 0, bytes.length);
        return assertInstanceOf(StunParseResult.Parsed.class, r, () -> r.toString()).message();
    }
}
