package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class DigestCalculatorTest {

    // RFC 7616 §3.9.1
    private static final String NONCE = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private static final String CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
    private static final String REALM = "http-auth@example.org";

    @Test
    void rfc7616Md5() {
        assertEquals("8ca523f5e9506fed4657c9700eebdbec", DigestCalculator.response(DigestCalculator.Algorithm.MD5,
                "Mufasa", REALM, "Circle of Life", "GET", "/dir/index.html", NONCE, "auth", "00000001", CNONCE));
    }

    @Test
    void rfc7616Sha256() {
        assertEquals("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
                DigestCalculator.response(DigestCalculator.Algorithm.SHA_256, "Mufasa", REALM, "Circle of Life",
                        "GET", "/dir/index.html", NONCE, "auth", "00000001", CNONCE));
    }

    @Test
    void rfc2069WithoutQop() {
        // RFC 2617 §3.2.2.1 without qop: H(HA1:nonce:HA2)
        String ha1 = DigestCalculator.hash(DigestCalculator.Algorithm.MD5, "bob:sip.example:pw");
        String ha2 = DigestCalculator.hash(DigestCalculator.Algorithm.MD5, "INVITE:sip:1@x");
        assertEquals(DigestCalculator.hash(DigestCalculator.Algorithm.MD5, ha1 + ":n1:" + ha2),
                DigestCalculator.response(DigestCalculator.Algorithm.MD5, "bob", "sip.example", "pw", "INVITE",
                        "sip:1@x", "n1", null, null, null));
    }

    @Test
    void sessionVariantHashesTheNonces() {
        String plain = DigestCalculator.response(DigestCalculator.Algorithm.SHA_256, "u", "r", "p", "INVITE", "sip:a",
                "n", "auth", "00000001", "c");
        String sess = DigestCalculator.response(DigestCalculator.Algorithm.SHA_256_SESS, "u", "r", "p", "INVITE",
                "sip:a", "n", "auth", "00000001", "c");
        assertNotEquals(plain, sess);
        assertEquals(64, sess.length());
    }

    @Test
    void algorithmTokens() {
        assertEquals(DigestCalculator.Algorithm.MD5, DigestCalculator.Algorithm.parse(null).orElseThrow());
        assertEquals(DigestCalculator.Algorithm.SHA_256, DigestCalculator.Algorithm.parse("sha-256").orElseThrow());
        assertEquals(DigestCalculator.Algorithm.MD5_SESS, DigestCalculator.Algorithm.parse("MD5-sess").orElseThrow());
        assertEquals(true, DigestCalculator.Algorithm.parse("SHA-512-256").isEmpty());
    }
}
