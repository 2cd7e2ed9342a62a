package io.warmline.config.internal;

import java.util.regex.Pattern;

/** Paths and safe echoes of file content for error messages. */
public final class Text {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_ECHO = 40;

    private Text() {
    }

    /** {@code parent.key}; a key that is not plain is quoted so the path stays unambiguous. */
    public static String child(String parent, String key) {
        String k = PLAIN_KEY.matcher(key).matches() ? key : quote(key);
        return parent.isEmpty() ? k : parent + "." + k;
    }

    public static String index(String parent, int i) {
        return parent + "[" + i + "]";
    }

    /** {@code s} in double quotes, control characters escaped, cut to a short length. */
    public static String quote(String s) {
        return "\"" + clean(s, MAX_ECHO) + "\"";
    }

    /** {@code s} with control characters escaped, cut to {@code max} characters. */
    public static String clean(String s, int max) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(s.length(), max);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '"' || c == '\\') {
                sb.append(c == '"' || c == '\\' ? "\\" + c : String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > max) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** Levenshtein distance, for "did you mean" hints between short keys. */
    public static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3 || a.length() > 64 || b.length() > 64) {
            return Integer.MAX_VALUE;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
