package io.warmline.bridge.it;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SIP message from a SIPp {@code -trace_msg} file: when SIPp sent or received it (its local wall clock, to the
 * microsecond), which way, and the text.
 *
 * <pre>
 * ----------------------------------------------- 2026-11-21 11:51:45.090015
 * UDP message sent (550 bytes):
 *
 * INVITE sip:1000@127.0.0.1:35060 SIP/2.0
 * </pre>
 */
record TracedMessage(LocalDateTime at, boolean sent, String transport, String startLine, String text) {
    private static final Pattern SEPARATOR = Pattern.compile("^-{20,} (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6})$",
            Pattern.MULTILINE);
    private static final Pattern DIRECTION = Pattern.compile("^(UDP|TCP|TLS|SCTP) message (sent|received)");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    static List<TracedMessage> parse(String log) {
        List<TracedMessage> out = new ArrayList<>();
        Matcher m = SEPARATOR.matcher(log);
        List<int[]> blocks = new ArrayList<>();
        List<String> times = new ArrayList<>();
        while (m.find()) {
            blocks.add(new int[] {m.start(), m.end()});
            times.add(m.group(1));
        }
        for (int i = 0; i < blocks.size(); i++) {
            int end = i + 1 < blocks.size() ? blocks.get(i + 1)[0] : log.length();
            String block = log.substring(blocks.get(i)[1], end).strip();
            String[] lines = block.split("\r?\n", -1);
            Matcher d = DIRECTION.matcher(lines[0]);
            if (!d.find()) {
                continue; // "Unexpected message received" and other notes
            }
            String text = lines.length > 2 ? String.join("\n", List.of(lines).subList(2, lines.length)).strip() : "";
            String startLine = text.lines().findFirst().orElse("");
            out.add(new TracedMessage(LocalDateTime.parse(times.get(i), TIME), d.group(2).equals("sent"), d.group(1),
                    startLine, text));
        }
        return out;
    }

    /** The value of the first header called {@code name} (case-insensitive), or null. */
    String header(String name) {
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                return null;
            }
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    /** The body after the blank line (the SDP), or "". */
    String body() {
        int blank = text.indexOf("\n\n");
        return blank < 0 ? "" : text.substring(blank + 2);
    }
}
