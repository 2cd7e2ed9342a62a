package io.warmline.sip.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code WWW-Authenticate}/{@code Proxy-Authenticate} Digest challenge (RFC 7616 §3.3, RFC 8760 §2.3).
 *
 * @param algorithm the algorithm token, null when absent (MD5)
 * @param qop       the qop options offered, empty when the challenge has none (RFC 2069 compatibility)
 */
public record DigestChallenge(String realm, String nonce, String opaque, String algorithm, List<String> qop,
                              boolean stale) {

    private static final int MAX_LENGTH = 4096;

    /** Parses one header value; empty when it is not a well-formed Digest challenge. */
    public static Optional<DigestChallenge> parse(String headerValue) {
        if (headerValue == null || headerValue.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String s = headerValue.trim();
        int sp = 0;
        while (sp < s.length() && !Character.isWhitespace(s.charAt(sp))) {
            sp++;
        }
        if (!s.substring(0, sp).equalsIgnoreCase("Digest")) {
            return Optional.empty();
        }
        Map<String, String> params = parseParams(s.substring(sp));
        if (params == null) {
            return Optional.empty();
        }
        String realm = params.get("realm");
        String nonce = params.get("nonce");
        if (realm == null || nonce == null) {
            return Optional.empty();
        }
        List<String> qop = new ArrayList<>();
        String q = params.get("qop");
        if (q != null) {
            for (String o : q.split(",")) {
                if (!o.isBlank()) {
                    qop.add(o.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        return Optional.of(new DigestChallenge(realm, nonce, params.get("opaque"), params.get("algorithm"),
                List.copyOf(qop), "true".equalsIgnoreCase(params.get("stale"))));
    }

    /** auth-param list: {@code name=token} or {@code name="quoted"}, comma separated; null when malformed. */
    static Map<String, String> parseParams(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            int nameStart = i;
            while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ',') {
                i++;
            }
            String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (name.isEmpty() || i >= n || s.charAt(i) != '=') {
                return null;
            }
            i++;
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            StringBuilder v = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        v.append(s.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        v.append(c);
                    }
                }
                if (!closed) {
                    return null;
                }
            } else {
                while (i < n && s.charAt(i) != ',' && !Character.isWhitespace(s.charAt(i))) {
                    v.append(s.charAt(i++));
                }
            }
            if (out.putIfAbsent(name, v.toString()) != null) {
                return null;
            }
        }
    }
}
