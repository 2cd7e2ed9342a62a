package io.warmline.sip.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** The digest response computation of RFC 7616 §3.4.1 (also RFC 2617 / RFC 2069 without qop). */
public final class DigestCalculator {

    /** The algorithms we answer (RFC 8760 §2.1 for SIP). */
    public enum Algorithm {
        MD5("MD5", "MD5", false),
        MD5_SESS("MD5-sess", "MD5", true),
        SHA_256("SHA-256", "SHA-256", false),
        SHA_256_SESS("SHA-256-sess", "SHA-256", true);

        private final String token;
        private final String jca;
        private final boolean session;

        Algorithm(String token, String jca, boolean session) {
            this.token = token;
            this.jca = jca;
            this.session = session;
        }

        public String token() {
            return token;
        }

        /** Null (absent) means MD5 (RFC 7616 §3.3). */
        public static Optional<Algorithm> parse(String token) {
            if (token == null) {
                return Optional.of(MD5);
            }
            for (Algorithm a : values()) {
                if (a.token.equalsIgnoreCase(token.trim())) {
                    return Optional.of(a);
                }
            }
            return Optional.empty();
        }

        /** Higher is stronger; used to prefer SHA-256 when several challenges are offered. */
        public int strength() {
            return jca.equals("SHA-256") ? 2 : 1;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private DigestCalculator() {
    }

    /**
     * The request-digest. {@code qop} null means the RFC 2069 form (no nc/cnonce).
     * The result is a secret: never log it.
     */
    public static String response(Algorithm alg, String username, String realm, String password, String method,
                                  String uri, String nonce, String qop, String nc, String cnonce) {
        String ha1 = hash(alg, username + ":" + realm + ":" + password);
        if (alg.session) {
            ha1 = hash(alg, ha1 + ":" + nonce + ":" + cnonce);
        }
        String ha2 = hash(alg, method + ":" + uri);
        if (qop == null) {
            return hash(alg, ha1 + ":" + nonce + ":" + ha2);
        }
        return hash(alg, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop.toLowerCase(Locale.ROOT) + ":" + ha2);
    }

    /** 128 random bits, hex. */
    public static String newCnonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String hash(Algorithm alg, String s) {
        try {
            MessageDigest md = MessageDigest.getInstance(alg.jca);
            return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JCA lacks " + alg.jca, e);
        }
    }
}
