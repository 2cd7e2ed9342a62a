package io.warmline.sip.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Checks on the raw bytes of a request that the RI's parser does not make: a repeated single-value header
 * (RFC 3261 §7.3: Call-ID, CSeq, From, To, Max-Forwards, Content-Length, Content-Type; RFC 4475 §3.3.8) and a
 * SIP version other than 2.0 on the Request-Line (RFC 3261 §21.5.6: 505). Pure and bounded by the
 * message size.
 */
public final class RawMessageCheck {

    /** What is wrong with a message, if anything. */
    public enum Defect {
        DUPLICATE_HEADER(400, "Duplicate single-value header"),
        VERSION(505, "Version Not Supported");

        private final int status;
        private final String reason;

        Defect(int status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        public int status() {
            return status;
        }

        public String reason() {
            return reason;
        }
    }

    private static final Map<String, String> COMPACT = Map.of("i", "call-id", "f", "from", "t", "to",
            "l", "content-length", "c", "content-type");
    private static final java.util.Set<String> SINGLE = java.util.Set.of("call-id", "cseq", "from", "to",
            "max-forwards", "content-length", "content-type");

    private RawMessageCheck() {
    }

    /** Null when the message looks fine; responses are never flagged. */
    public static Defect check(byte[] raw) {
        int end = headerEnd(raw);
        String head = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r?\n");
        if (lines.length == 0 || lines[0].startsWith("SIP/")) {
            return null;
        }
        String first = lines[0].stripTrailing();
        int sp = first.lastIndexOf(' ');
        if (sp < 0 || !first.substring(sp + 1).equalsIgnoreCase("SIP/2.0")) {
            return Defect.VERSION;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                continue; // folded continuation
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            name = COMPACT.getOrDefault(name, name);
            if (SINGLE.contains(name) && seen.merge(name, 1, Integer::sum) > 1) {
                return Defect.DUPLICATE_HEADER;
            }
        }
        return null;
    }

    private static int headerEnd(byte[] raw) {
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] == '\n' && (raw[i + 1] == '\n' || raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n')) {
                return i;
            }
        }
        return raw.length;
    }
}
