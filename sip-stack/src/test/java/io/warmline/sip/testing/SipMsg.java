package io.warmline.sip.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A SIP message as text, parsed just enough for tests. */
public record SipMsg(String startLine, Map<String, List<String>> headers, String body, String raw) {

    public static SipMsg parse(byte[] data, int length) {
        String raw = new String(data, 0, length, StandardCharsets.UTF_8);
        int split = raw.indexOf("\r\n\r\n");
        String head = split < 0 ? raw : raw.substring(0, split);
        String body = split < 0 ? "" : raw.substring(split + 4);
        String[] lines = head.split("\r\n");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
        }
        return new SipMsg(lines[0], headers, body, raw);
    }

    public boolean isResponse() {
        return startLine.startsWith("SIP/2.0 ");
    }

    public int status() {
        return isResponse() ? Integer.parseInt(startLine.split(" ")[1]) : 0;
    }

    public String method() {
        return isResponse() ? header("cseq").split(" ")[1] : startLine.split(" ")[0];
    }

    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null ? null : v.get(0);
    }

    public List<String> all(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public String requestUri() {
        return startLine.split(" ")[1];
    }

    /** A response to this request, To tag added, with optional extra header lines and SDP body. */
    public String respond(int status, String reason, String toTag, String extra, String sdp) {
        StringBuilder b = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        for (String v : all("via")) {
            b.append("Via: ").append(v).append("\r\n");
        }
        b.append("From: ").append(header("from")).append("\r\n");
        String to = header("to");
        if (toTag != null && !to.contains("tag=")) {
            to = to + ";tag=" + toTag;
        }
        b.append("To: ").append(to).append("\r\n");
        b.append("Call-ID: ").append(header("call-id")).append("\r\n");
        b.append("CSeq: ").append(header("cseq")).append("\r\n");
        if (extra != null) {
            b.append(extra);
        }
        if (sdp != null) {
            b.append("Content-Type: application/sdp\r\n");
        }
        byte[] body = sdp == null ? new byte[0] : sdp.getBytes(StandardCharsets.UTF_8);
        b.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        if (sdp != null) {
            b.append(sdp);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return raw;
    }
}
