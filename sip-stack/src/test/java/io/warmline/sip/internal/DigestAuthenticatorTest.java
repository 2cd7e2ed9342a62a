package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.DigestCredentials;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DigestAuthenticatorTest {

    private static final DigestCredentials CREDS = new DigestCredentials("alice", "s3cret", null);

    private static Map<String, String> params(String header) {
        assertTrue(header.startsWith("Digest "));
        return DigestChallenge.parseParams(header.substring(7));
    }

    @Test
    void prefersSha256WhenBothOffered() {
        var a = new DigestAuthenticator(CREDS);
        var out = a.answer(List.of("Digest realm=\"sip.example\", nonce=\"n1\", qop=\"auth\", algorithm=MD5",
                "Digest realm=\"sip.example\", nonce=\"n2\", qop=\"auth\", algorithm=SHA-256"), "INVITE", "sip:1@h", "cn");
        var answer = assertInstanceOf(DigestAuthenticator.Outcome.Answer.class, out);
        Map<String, String> p = params(answer.headerValue());
        assertEquals("SHA-256", p.get("algorithm"));
        assertEquals("n2", p.get("nonce"));
        assertEquals("auth", p.get("qop"));
        assertEquals("00000001", p.get("nc"));
        assertEquals("cn", p.get("cnonce"));
        assertEquals(DigestCalculator.response(DigestCalculator.Algorithm.SHA_256, "alice", "sip.example", "s3cret",
                "INVITE", "sip:1@h", "n2", "auth", "00000001", "cn"), p.get("response"));
        assertFalse(answer.toString().contains(p.get("response")), "toString must not reveal the response");
    }

    @Test
    void noQopChallengeGetsRfc2069Answer() {
        var out = new DigestAuthenticator(CREDS).answer(List.of("Digest realm=\"r\", nonce=\"n\", opaque=\"o\""),
                "INVITE", "sip:1@h", "cn");
        Map<String, String> p = params(((DigestAuthenticator.Outcome.Answer) out).headerValue());
        assertEquals("MD5", p.get("algorithm"));
        assertEquals("o", p.get("opaque"));
        assertFalse(p.containsKey("qop"));
        assertFalse(p.containsKey("cnonce"));
        assertEquals(DigestCalculator.response(DigestCalculator.Algorithm.MD5, "alice", "r", "s3cret", "INVITE",
                "sip:1@h", "n", null, null, null), p.get("response"));
    }

    @Test
    void sameNonceTwiceIsAFailure() {
        var a = new DigestAuthenticator(CREDS);
        String ch = "Digest realm=\"r\", nonce=\"n\", qop=\"auth\"";
        assertInstanceOf(DigestAuthenticator.Outcome.Answer.class, a.answer(List.of(ch), "INVITE", "sip:x", "c"));
        assertInstanceOf(DigestAuthenticator.Outcome.Refused.class, a.answer(List.of(ch), "INVITE", "sip:x", "c"));
    }

    @Test
    void staleNonceWithFreshValueIsAnsweredAgainButBounded() {
        var a = new DigestAuthenticator(CREDS);
        for (int i = 0; i < DigestAuthenticator.MAX_ROUNDS; i++) {
            assertInstanceOf(DigestAuthenticator.Outcome.Answer.class,
                    a.answer(List.of("Digest realm=\"r\", nonce=\"n" + i + "\", stale=true"), "INVITE", "sip:x", "c"));
        }
        assertInstanceOf(DigestAuthenticator.Outcome.Refused.class,
                a.answer(List.of("Digest realm=\"r\", nonce=\"last\", stale=true"), "INVITE", "sip:x", "c"));
    }

    @Test
    void realmMustMatchWhenConfigured() {
        var a = new DigestAuthenticator(new DigestCredentials("alice", "pw", "carrier.example"));
        assertInstanceOf(DigestAuthenticator.Outcome.Refused.class,
                a.answer(List.of("Digest realm=\"evil.example\", nonce=\"n\""), "INVITE", "sip:x", "c"));
        assertInstanceOf(DigestAuthenticator.Outcome.Answer.class,
                a.answer(List.of("Digest realm=\"carrier.example\", nonce=\"n\""), "INVITE", "sip:x", "c"));
    }

    @Test
    void refusesWithoutCredentialsOrUsableChallenge() {
        assertInstanceOf(DigestAuthenticator.Outcome.Refused.class,
                new DigestAuthenticator(null).answer(List.of("Digest realm=\"r\", nonce=\"n\""), "INVITE", "sip:x", "c"));
        var a = new DigestAuthenticator(CREDS);
        assertInstanceOf(DigestAuthenticator.Outcome.Refused.class, a.answer(List.of(
                "Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256",
                "Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"",
                "Basic realm=\"r\"",
                "Digest realm=\"r\", nonce=\"unterminated"), "INVITE", "sip:x", "c"));
    }

    @Test
    void challengeParsing() {
        DigestChallenge c = DigestChallenge.parse(
                "Digest realm=\"a\\\"b\", qop=\"auth, auth-int\", nonce=\"n\", stale=TRUE, algorithm=SHA-256").orElseThrow();
        assertEquals("a\"b", c.realm());
        assertEquals(List.of("auth", "auth-int"), c.qop());
        assertTrue(c.stale());
        assertEquals("SHA-256", c.algorithm());
        assertTrue(DigestChallenge.parse("Digest nonce=\"n\"").isEmpty(), "realm is required");
        assertTrue(DigestChallenge.parse("Digest realm=\"r\", realm=\"s\", nonce=\"n\"").isEmpty(), "duplicate");
    }
}
