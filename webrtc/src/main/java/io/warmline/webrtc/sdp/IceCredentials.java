package io.warmline.webrtc.sdp;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * ICE short-term credentials, {@code a=ice-ufrag} and {@code a=ice-pwd} (RFC 8839 §5.4): a ufrag of 4 to 256 and a
 * password of 22 to 256 ice-chars ({@code ALPHA / DIGIT / "+" / "/"}). {@link #toString()} hides the password.
 */
public record IceCredentials(String ufrag, String pwd) {

    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        if (!isIceChars(ufrag, 4, 256)) {
            throw new IllegalArgumentException("ice-ufrag must be 4-256 ice-chars");
        }
        if (!isIceChars(pwd, 22, 256)) {
            throw new IllegalArgumentException("ice-pwd must be 22-256 ice-chars");
        }
    }

    /**
     * Fresh local credentials: a 16-character ufrag (96 bits, so it also tells legs on a shared port apart) and a
     * 32-character password (192 bits; RFC 8839 §5.4 asks for at least 128).
     */
    public static IceCredentials random(RandomGenerator random) {
        return new IceCredentials(randomChars(random, 16), randomChars(random, 32));
    }

    public static IceCredentials random() {
        return random(new SecureRandom());
    }

    private static String randomChars(RandomGenerator random, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return s.toString();
    }

    static boolean isIceChars(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (ICE_CHARS.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=<hidden>]";
    }
}
