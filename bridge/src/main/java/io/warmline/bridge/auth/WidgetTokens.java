package io.warmline.bridge.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints and verifies the widget's short-lived voice tokens. A token is
 * {@code wt1.<base64url(payload)>.<base64url(HMAC-SHA256(node secret, "wt1." + base64url(payload)))>} with the
 * payload {@code <expiry epoch seconds>.<token id>.<conversation id>}: compact enough for a header, bound to one
 * conversation, and checkable without any state. The MAC is compared in constant time.
 *
 * <p>The secret is the node's; with a generated one (no secret configured) tokens stop verifying when the process
 * restarts, and on other nodes. Time is given by the caller. Thread-safe.
 */
public final class WidgetTokens {
    static final String PREFIX = "wt1";
    /** Longer than any token this class makes (128-char conversation id → about 230 characters). */
    public static final int MAX_TOKEN_LENGTH = 512;
    public static final int MIN_SECRET_BYTES = 32;
    private static final int TOKEN_ID_BYTES = 16;
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Duration ttl;
    private final RandomGenerator random;

    public WidgetTokens(byte[] secret, Duration ttl, RandomGenerator random) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("token secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive");
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
        this.ttl = ttl;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A fresh random secret, for a node with none configured. */
    public static byte[] generateSecret() {
        byte[] secret = new byte[MIN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    public Duration ttl() {
        return ttl;
    }

    /** A token for {@code conversationId} valid until {@code now + ttl}. */
    public IssuedToken mint(String conversationId, Instant now) {
        String problem = ConversationIds.problem(conversationId);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        byte[] id = new byte[TOKEN_ID_BYTES];
        random.nextBytes(id);
        String tokenId = B64.encodeToString(id);
        Instant expiresAt = now.plus(ttl);
        String payload = expiresAt.getEpochSecond() + "." + tokenId + "." + conversationId;
        String signed = PREFIX + "." + B64.encodeToString(payload.getBytes(StandardCharsets.US_ASCII));
        String token = signed + "." + B64.encodeToString(mac(signed));
        return new IssuedToken(token, new TokenClaims(conversationId, Instant.ofEpochSecond(expiresAt.getEpochSecond()),
                tokenId));
    }

    /** Checks the signature and expiry, and that the token is bound to {@code conversationId}. */
    public TokenCheck verify(String token, String conversationId, Instant now) {
        TokenCheck check = verifyIgnoringExpiry(token, conversationId);
        if (check instanceof TokenCheck.Valid v && !now.isBefore(v.claims().expiresAt())) {
            return new TokenCheck.Refused(TokenProblem.EXPIRED);
        }
        return check;
    }

    /**
     * As {@link #verify} but accepts an expired token: for ending or trickling to a leg the token already opened,
     * which must stay possible for as long as the call lasts (the caller also matches the token id to the leg).
     */
    public TokenCheck verifyIgnoringExpiry(String token, String conversationId) {
        if (token == null || token.isEmpty()) {
            return new TokenCheck.Refused(TokenProblem.MISSING);
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            return new TokenCheck.Refused(TokenProblem.MALFORMED);
        }
        int first = token.indexOf('.');
        int last = token.lastIndexOf('.');
        if (first < 0 || first == last || !token.substring(0, first).equals(PREFIX)) {
            return new TokenCheck.Refused(TokenProblem.MALFORMED);
        }
        String signed = token.substring(0, last);
        byte[] presentedMac;
        byte[] payloadBytes;
        try {
            presentedMac = B64D.decode(token.substring(last + 1));
            payloadBytes = B64D.decode(token.substring(first + 1, last));
        } catch (IllegalArgumentException e) {
            return new TokenCheck.Refused(TokenProblem.MALFORMED);
        }
        if (!MessageDigest.isEqual(mac(signed), presentedMac)) {
            return new TokenCheck.Refused(TokenProblem.BAD_SIGNATURE);
        }
        TokenClaims claims = parsePayload(new String(payloadBytes, StandardCharsets.US_ASCII));
        if (claims == null) {
            // Signed by us yet unreadable: only a change of format between versions could do this.
            return new TokenCheck.Refused(TokenProblem.MALFORMED);
        }
        if (!claims.conversationId().equals(conversationId)) {
            return new TokenCheck.Refused(TokenProblem.WRONG_CONVERSATION);
        }
        return new TokenCheck.Valid(claims);
    }

    private static TokenClaims parsePayload(String payload) {
        int a = payload.indexOf('.');
        int b = a < 0 ? -1 : payload.indexOf('.', a + 1);
        if (a <= 0 || b < 0) {
            return null;
        }
        long expiry;
        try {
            expiry = Long.parseLong(payload.substring(0, a));
        } catch (NumberFormatException e) {
            return null;
        }
        String conversation = payload.substring(b + 1);
        if (!ConversationIds.isValid(conversation)) {
            return null;
        }
        return new TokenClaims(conversation, Instant.ofEpochSecond(expiry), payload.substring(a + 1, b));
    }

    private byte[] mac(String signed) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + HMAC, e);
        }
    }

    @Override
    public String toString() {
        return "WidgetTokens[ttl=" + ttl + "]";
    }
}
