package io.warmline.sip.internal;

/** Reads the session id and version of an SDP {@code o=} line (RFC 4566 §5.2) to spot unchanged offers. */
public final class SdpVersion {

    private SdpVersion() {
    }

    /** "sess-id version" of the o= line, or null when absent or malformed. */
    public static String of(String sdp) {
        if (sdp == null) {
            return null;
        }
        int i = sdp.startsWith("o=") ? 0 : sdp.indexOf("\no=");
        if (i < 0) {
            return null;
        }
        int start = i == 0 ? 2 : i + 3;
        int end = sdp.indexOf('\n', start);
        String line = (end < 0 ? sdp.substring(start) : sdp.substring(start, end)).trim();
        String[] f = line.split(" +");
        return f.length >= 3 ? f[1] + " " + f[2] : null;
    }

    /** RFC 3264 §8: an offer with the previous o= session id and version changes nothing. */
    public static boolean unchanged(String previous, String offer) {
        String a = of(previous);
        return a != null && a.equals(of(offer));
    }
}
