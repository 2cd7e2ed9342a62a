package io.warmline.sip.internal;

import java.util.Locale;

/** Finds the application/sdp part of a multipart/mixed body (RFC 2046 §5.1.1, RFC 5621). */
final class MultipartBody {

    private static final int MAX_PARTS = 16;

    private MultipartBody() {
    }

    /** The SDP part's content, or null. The body is given as ISO-8859-1 text so bytes survive. */
    static String sdpPart(String body, String boundary) {
        String b = boundary.startsWith("\"") && boundary.endsWith("\"") && boundary.length() > 1
                ? boundary.substring(1, boundary.length() - 1) : boundary;
        String delimiter = "--" + b;
        int pos = body.indexOf(delimiter);
        for (int parts = 0; pos >= 0 && parts < MAX_PARTS; parts++) {
            int start = pos + delimiter.length();
            if (body.startsWith("--", start)) {
                return null;
            }
            int next = body.indexOf("\r\n" + delimiter, start);
            if (next < 0) {
                return null;
            }
            String part = body.substring(start, next);
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd >= 0) {
                String partHeaders = part.substring(0, headersEnd).toLowerCase(Locale.ROOT);
                if (partHeaders.matches("(?s).*content-type\\s*:\\s*application/sdp.*")) {
                    return part.substring(headersEnd + 4);
                }
            }
            pos = next + 2;
        }
        return null;
    }
}
