package io.warmline.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WidgetTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");
    private final WidgetTokens tokens = new WidgetTokens(SECRET, Duration.ofMinutes(5), new SplittableRandom(7));

    private static TokenProblem problem(TokenCheck check) {
        return check instanceof TokenCheck.Refused r ? r.problem() : null;
    }

    @Test
    void aFreshTokenVerifiesForItsConversation() {
        IssuedToken t = tokens.mint("conv-1", T0);
        TokenCheck check = tokens.verify(t.token(), "conv-1", T0.plusSeconds(10));
        TokenClaims claims = ((TokenCheck.Valid) check).claims();
        assertEquals("conv-1", claims.conversationId());
        assertEquals(T0.plusSeconds(300), claims.expiresAt());
        assertEquals(t.claims(), claims);
        assertTrue(t.token().startsWith("wt1."));
        assertTrue(t.token().length() < 120, t.token());
    }

    @Test
    void expiresAtTheEndOfItsLifetime() {
        IssuedToken t = tokens.mint("conv-1", T0);
        assertTrue(tokens.verify(t.token(), "conv-1", T0.plusSeconds(299)) instanceof TokenCheck.Valid);
        assertEquals(TokenProblem.EXPIRED, problem(tokens.verify(t.token(), "conv-1", T0.plusSeconds(300))));
        assertEquals(TokenProblem.EXPIRED, problem(tokens.verify(t.token(), "conv-1", T0.plusSeconds(86_400))));
        assertTrue(tokens.verifyIgnoringExpiry(t.token(), "conv-1") instanceof TokenCheck.Valid);
        assertEquals(401, TokenProblem.EXPIRED.httpStatus());
    }

    @Test
    void aTokenForAnotherConversationIsForbiddenNotUnauthenticated() {
        IssuedToken t = tokens.mint("conv-1", T0);
        assertEquals(TokenProblem.WRONG_CONVERSATION, problem(tokens.verify(t.token(), "conv-2", T0)));
        assertEquals(403, TokenProblem.WRONG_CONVERSATION.httpStatus());
        // A prefix of the bound id is another conversation too.
        assertEquals(TokenProblem.WRONG_CONVERSATION, problem(tokens.verify(t.token(), "conv-", T0)));
    }

    @Test
    void everySingleCharacterChangeIsRefused() {
        String token = tokens.mint("conv-1", T0).token();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
        for (int i = 0; i < token.length(); i++) {
            for (char c : new char[] {alphabet.charAt(i % alphabet.length()), 'A', '_'}) {
                if (token.charAt(i) == c) {
                    continue;
                }
                String tampered = token.substring(0, i) + c + token.substring(i + 1);
                TokenProblem p = problem(tokens.verify(tampered, "conv-1", T0));
                // Flipping only the unused low bits of the last base64 character decodes to the same MAC.
                boolean sameBytes = Arrays.equals(decodeOrNull(lastPart(tampered)), decodeOrNull(lastPart(token)))
                        && i > token.lastIndexOf('.');
                if (!sameBytes) {
                    assertTrue(p == TokenProblem.BAD_SIGNATURE || p == TokenProblem.MALFORMED,
                            "position " + i + " -> " + c + ": " + p);
                }
            }
        }
    }

    @Test
    void aForgedPayloadForAnotherConversationOrLaterExpiryFailsTheSignature() {
        String token = tokens.mint("conv-1", T0).token();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.US_ASCII);
        String longer = payload.replaceFirst("^[0-9]+", String.valueOf(T0.getEpochSecond() + 86_400));
        String other = payload.replace("conv-1", "conv-2");
        Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
        for (String p : new String[] {longer, other}) {
            String forged = parts[0] + "." + e.encodeToString(p.getBytes(StandardCharsets.US_ASCII)) + "." + parts[2];
            assertEquals(TokenProblem.BAD_SIGNATURE, problem(tokens.verify(forged, "conv-2", T0)));
            assertEquals(TokenProblem.BAD_SIGNATURE, problem(tokens.verify(forged, "conv-1", T0)));
        }
    }

    @Test
    void aTokenFromAnotherSecretIsRefused() {
        byte[] other = SECRET.clone();
        other[0] ^= 1;
        String token = new WidgetTokens(other, Duration.ofMinutes(5), new SplittableRandom(7)).mint("conv-1", T0).token();
        assertEquals(TokenProblem.BAD_SIGNATURE, problem(tokens.verify(token, "conv-1", T0)));
    }

    @Test
    void garbageIsMalformedAndNothingIsMissing() {
        assertEquals(TokenProblem.MISSING, problem(tokens.verify(null, "c", T0)));
        assertEquals(TokenProblem.MISSING, problem(tokens.verify("", "c", T0)));
        for (String g : new String[] {"abc", "wt1", "wt1.", "wt1..", "wt2.AAAA.AAAA", "wt1.!!.AAAA", "wt1.AAAA.!!",
                "wt1.a.b.c", "x".repeat(WidgetTokens.MAX_TOKEN_LENGTH + 1)}) {
            TokenProblem p = problem(tokens.verify(g, "c", T0));
            assertTrue(p == TokenProblem.MALFORMED || p == TokenProblem.BAD_SIGNATURE, g + " -> " + p);
            assertEquals(401, p.httpStatus());
        }
    }

    @Test
    void tokenIdsAreUniqueAndClaimsMatchTheToken() {
        IssuedToken a = tokens.mint("conv-1", T0);
        IssuedToken b = tokens.mint("conv-1", T0);
        assertNotEquals(a.claims().tokenId(), b.claims().tokenId());
        assertNotEquals(a.token(), b.token());
        assertFalse(a.toString().contains(a.token()));
    }

    @Test
    void refusesBadConversationIdsShortSecretsAndNonPositiveLifetimes() {
        assertThrows(IllegalArgumentException.class, () -> tokens.mint("a/b", T0));
        assertThrows(IllegalArgumentException.class, () -> tokens.mint("", T0));
        assertThrows(IllegalArgumentException.class,
                () -> new WidgetTokens(new byte[31], Duration.ofMinutes(5), new SplittableRandom()));
        assertThrows(IllegalArgumentException.class,
                () -> new WidgetTokens(SECRET, Duration.ZERO, new SplittableRandom()));
        assertEquals(WidgetTokens.MIN_SECRET_BYTES, WidgetTokens.generateSecret().length);
    }

    private static String lastPart(String t) {
        return t.substring(t.lastIndexOf('.') + 1);
    }

    private static byte[] decodeOrNull(String s) {
        try {
            return Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
