package io.warmline.bridge.auth;

import java.util.regex.Pattern;

/** Reads the credential of an {@code Authorization: Bearer <credential>} header (RFC 6750 §2.1). */
public final class Bearer {
    // b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    static final int MAX_HEADER_LENGTH = 1024;

    private Bearer() {
    }

    /** The credential, or null when the header is absent, too long, of another scheme or not a b64token. */
    public static String credential(String authorization) {
        if (authorization == null || authorization.length() > MAX_HEADER_LENGTH) {
            return null;
        }
        String h = authorization.strip();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String credential = h.substring(7).strip();
        return B64TOKEN.matcher(credential).matches() ? credential : null;
    }
}
