package io.warmline.webrtc.sdp;

import io.warmline.webrtc.BadCandidateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An {@code application/trickle-ice-sdpfrag} body (RFC 8840 §9), as a WHIP client PATCHes it (RFC 9725 §4.3): the
 * ICE credentials of the session it belongs to (both are required for an ICE restart), the {@code a=mid} of the one
 * bundled {@code m=} section, candidates and {@code a=end-of-candidates}.
 *
 * <p>The parser is bounded (bytes, lines, line length, candidates) and strict where a mistake would change what the
 * agent does: credentials, candidates, and more than one {@code m=} section (BUNDLE with max-bundle leaves one, RFC
 * 9725 §4.3.2) are refused with the line number; attributes that do not concern ICE ({@code a=ice-options},
 * {@code a=group}, …) and other SDP lines are skipped and counted.
 *
 * @param ufrag {@code a=ice-ufrag}, or null when absent
 * @param pwd {@code a=ice-pwd}, or null when absent; never printed
 * @param mid {@code a=mid} of the {@code m=} section, or null
 * @param candidates every {@code a=candidate}, in order; each component 1 (rtcp-mux) over UDP or TCP
 * @param endOfCandidates {@code a=end-of-candidates} was present (RFC 8838 §8.2)
 * @param skippedLines lines that do not concern ICE
 */
public record TrickleFragment(String ufrag, String pwd, String mid, List<IceCandidate> candidates,
        boolean endOfCandidates, int skippedLines) {

    /** Largest body read (RFC 9725 leaves it to the server; a fragment of 32 candidates fits in 8 KiB). */
    public static final int MAX_BYTES = 8 * 1024;
    public static final int MAX_LINES = 64;
    public static final int MAX_LINE_LENGTH = 1024;
    /** More candidates than any browser gathers for one component (host, srflx, relay per interface). */
    public static final int MAX_CANDIDATES = 32;

    public TrickleFragment {
        candidates = List.copyOf(candidates);
    }

    /** True when the fragment carries both {@code a=ice-ufrag} and {@code a=ice-pwd}. */
    public boolean hasCredentials() {
        return ufrag != null && pwd != null;
    }

    /** Both credentials. @throws IllegalStateException when one is missing */
    public IceCredentials credentials() {
        if (!hasCredentials()) {
            throw new IllegalStateException("the fragment has no ICE credentials");
        }
        return new IceCredentials(ufrag, pwd);
    }

    /**
     * Parses a fragment.
     *
     * @throws BadCandidateException naming the line and what is wrong with it
     */
    public static TrickleFragment parse(String body) throws BadCandidateException {
        if (body == null) {
            throw new BadCandidateException("the trickle fragment is missing");
        }
        if (body.length() > MAX_BYTES) {
            throw new BadCandidateException("the trickle fragment is longer than " + MAX_BYTES + " bytes");
        }
        String ufrag = null;
        String pwd = null;
        String mid = null;
        boolean end = false;
        boolean sawMedia = false;
        int skipped = 0;
        List<IceCandidate> candidates = new ArrayList<>();
        int lineNo = 0;
        int pos = 0;
        while (pos < body.length()) {
            int nl = body.indexOf('\n', pos);
            int stop = nl < 0 ? body.length() : nl;
            String line = body.substring(pos, stop > pos && body.charAt(stop - 1) == '\r' ? stop - 1 : stop);
            pos = stop + 1;
            lineNo++;
            if (lineNo > MAX_LINES) {
                throw new BadCandidateException("the trickle fragment has more than " + MAX_LINES + " lines");
            }
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() > MAX_LINE_LENGTH) {
                throw bad(lineNo, "longer than " + MAX_LINE_LENGTH + " characters");
            }
            // RFC 8866 §5: <type>=<value>, type one lower-case letter.
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw bad(lineNo, "not an SDP line");
            }
            if (line.charAt(0) == 'm') {
                if (sawMedia) {
                    throw bad(lineNo, "a second m= section; with BUNDLE only the first is trickled (RFC 9725 §4.3.2)");
                }
                sawMedia = true;
                continue;
            }
            if (line.charAt(0) != 'a') {
                skipped++;
                continue;
            }
            int colon = line.indexOf(':');
            String name = (colon < 0 ? line.substring(2) : line.substring(2, colon)).toLowerCase(Locale.ROOT);
            String value = colon < 0 ? null : line.substring(colon + 1).strip();
            switch (name) {
                case "ice-ufrag" -> {
                    if (value == null || !IceCredentials.isIceChars(value, 4, 256)) {
                        throw bad(lineNo, "a=ice-ufrag must be 4-256 ice-chars");
                    }
                    if (ufrag != null && !ufrag.equals(value)) {
                        throw bad(lineNo, "a second, different a=ice-ufrag");
                    }
                    ufrag = value;
                }
                case "ice-pwd" -> {
                    if (value == null || !IceCredentials.isIceChars(value, 22, 256)) {
                        throw bad(lineNo, "a=ice-pwd must be 22-256 ice-chars");
                    }
                    if (pwd != null && !pwd.equals(value)) {
                        throw bad(lineNo, "a second, different a=ice-pwd");
                    }
                    pwd = value;
                }
                case "mid" -> {
                    if (value == null || value.isEmpty() || value.length() > 32 || !token(value)) {
                        throw bad(lineNo, "a=mid must be a token of 1-32 characters");
                    }
                    if (mid != null && !mid.equals(value)) {
                        throw bad(lineNo, "a second, different a=mid");
                    }
                    mid = value;
                }
                case "candidate" -> {
                    if (end) {
                        throw bad(lineNo, "a candidate after a=end-of-candidates");
                    }
                    if (candidates.size() == MAX_CANDIDATES) {
                        throw bad(lineNo, "more than " + MAX_CANDIDATES + " candidates");
                    }
                    candidates.add(candidate(line, lineNo));
                }
                case "end-of-candidates" -> end = true;
                default -> skipped++;
            }
        }
        return new TrickleFragment(ufrag, pwd, mid, candidates, end, skipped);
    }

    private static IceCandidate candidate(String line, int lineNo) throws BadCandidateException {
        IceCandidate c = IceCandidate.parse(line)
                .orElseThrow(() -> bad(lineNo, "unreadable candidate (RFC 8839 §5.1)"));
        if (c.component() != 1) {
            // Our answers require rtcp-mux (RFC 8843 BUNDLE, RFC 5761): RTCP shares component 1.
            throw bad(lineNo, "component " + c.component() + "; with rtcp-mux only component 1 exists");
        }
        if (!c.isUdp() && !IceCandidate.TCP.equals(c.transport())) {
            throw bad(lineNo, "transport " + c.transport() + " is neither UDP nor TCP");
        }
        if (IceCandidate.TCP.equals(c.transport()) && c.tcpType() == null) {
            throw bad(lineNo, "a TCP candidate without tcptype (RFC 6544 §4.5)");
        }
        return c;
    }

    private static boolean token(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static BadCandidateException bad(int lineNo, String what) {
        return new BadCandidateException("trickle fragment line " + lineNo + ": " + what);
    }

    @Override
    public String toString() {
        return "TrickleFragment[ufrag=" + ufrag + ", pwd=" + (pwd == null ? "none" : "<hidden>") + ", mid=" + mid
                + ", candidates=" + candidates.size() + ", endOfCandidates=" + endOfCandidates + "]";
    }
}
