package io.warmline.media.sdp;

/** Character classes of the RFC 8866 §9 grammar. */
final class SdpSyntax {

    private SdpSyntax() {
    }

    /** RFC 8866 token: visible ASCII except separators. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`{|}~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean isNonWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    static boolean hasLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0;
    }

    static boolean isDigits(String s, int maxLength) {
        if (s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
