package io.warmline.media.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The bounded RFC 8866 parser behind {@link SessionDescription#parse}. */
final class SdpParser {

    /** Session-level line types we accept (RFC 8866 §5), in addition to v, o, s, c, t, a, m. */
    private static final String SESSION_IGNORED = "iuepbrzk";
    /** Media-level line types we accept besides c and a. */
    private static final String MEDIA_IGNORED = "ibk";

    private int lineNumber;

    private Origin origin;
    private String sessionName;
    private Connection sessionConnection;
    private final List<Attribute> sessionAttributes = new ArrayList<>();
    private final List<MediaDescription> media = new ArrayList<>();

    private String[] mediaLine;
    private int mediaLineNumber;
    private Connection mediaConnection;
    private List<Attribute> mediaAttributes;

    private SdpParser() {
    }

    static SessionDescription parse(String sdp) throws SdpException {
        return new SdpParser().run(sdp);
    }

    private SessionDescription run(String sdp) throws SdpException {
        if (sdp == null || sdp.isEmpty()) {
            throw new SdpException(0, "empty session description");
        }
        if (sdp.length() > SessionDescription.MAX_LENGTH) {
            throw new SdpException(0, "longer than " + SessionDescription.MAX_LENGTH + " characters: "
                    + sdp.length());
        }
        List<String> lines = splitLines(sdp);
        for (String line : lines) {
            lineNumber++;
            parseLine(line);
        }
        finishMedia();
        if (origin == null) {
            throw new SdpException(0, "missing o= line");
        }
        if (sessionName == null) {
            throw new SdpException(0, "missing s= line");
        }
        try {
            return new SessionDescription(origin, sessionName, sessionConnection, sessionAttributes, media);
        } catch (IllegalArgumentException e) {
            throw new SdpException(0, e.getMessage());
        }
    }

    /** Splits on LF, dropping one CR before each LF; trailing empty lines are ignored, inner ones refused. */
    private static List<String> splitLines(String sdp) throws SdpException {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int number = 0;
        int lastContent = 0;
        while (start < sdp.length()) {
            int end = sdp.indexOf('\n', start);
            int next = end < 0 ? sdp.length() : end + 1;
            if (end < 0) {
                end = sdp.length();
            }
            int contentEnd = end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end;
            String line = sdp.substring(start, contentEnd);
            number++;
            if (number > SessionDescription.MAX_LINES) {
                throw new SdpException(number, "more than " + SessionDescription.MAX_LINES + " lines");
            }
            lines.add(line);
            if (!line.isEmpty()) {
                lastContent = number;
            }
            start = next;
        }
        List<String> content = lines.subList(0, lastContent);
        for (int i = 0; i < content.size(); i++) {
            if (content.get(i).isEmpty()) {
                throw new SdpException(i + 1, "empty line");
            }
        }
        return content;
    }

    private void parseLine(String line) throws SdpException {
        if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
            throw error("not a <type>=<value> line: '" + abbreviate(line) + "'");
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\r' || c == '\0') {
                throw error("control character in line");
            }
        }
        char type = line.charAt(0);
        String value = line.substring(2);
        if (lineNumber == 1) {
            if (type != 'v' || !value.equals("0")) {
                throw error("the first line must be v=0");
            }
            return;
        }
        if (mediaLine == null) {
            sessionLine(type, value);
        } else {
            mediaLevelLine(type, value);
        }
    }

    private void sessionLine(char type, String value) throws SdpException {
        switch (type) {
            case 'o' -> {
                if (origin != null) {
                    throw error("more than one o= line");
                }
                origin = origin(value);
            }
            case 's' -> {
                if (sessionName != null) {
                    throw error("more than one s= line");
                }
                sessionName = value;
            }
            case 'c' -> {
                if (sessionConnection != null) {
                    throw error("more than one session-level c= line");
                }
                sessionConnection = connection(value);
            }
            case 't' -> timing(value);
            case 'a' -> sessionAttributes.add(attribute(value, false));
            case 'm' -> startMedia(value);
            case 'v' -> throw error("v= may only be the first line");
            default -> {
                if (SESSION_IGNORED.indexOf(type) < 0) {
                    throw error("unknown or misplaced line type '" + type + "='");
                }
            }
        }
    }

    private void mediaLevelLine(char type, String value) throws SdpException {
        switch (type) {
            case 'c' -> {
                if (mediaConnection != null) {
                    throw error("more than one c= line in a media description");
                }
                mediaConnection = connection(value);
            }
            case 'a' -> {
                if (mediaAttributes.size() >= SessionDescription.MAX_LINES) {
                    throw error("too many attributes");
                }
                mediaAttributes.add(attribute(value, true));
            }
            case 'm' -> startMedia(value);
            default -> {
                if (MEDIA_IGNORED.indexOf(type) < 0) {
                    throw error("line type '" + type + "=' is not allowed in a media description");
                }
            }
        }
    }

    /** RFC 8866 §5.2: {@code <username> <sess-id> <sess-version> IN <addrtype> <unicast-address>}. */
    private Origin origin(String value) throws SdpException {
        String[] f = value.split(" ", -1);
        if (f.length != 6) {
            throw error("o= needs 6 space-separated fields, has " + f.length);
        }
        if (!f[3].equals("IN")) {
            throw error("o= network type must be IN: '" + abbreviate(f[3]) + "'");
        }
        if (!SdpSyntax.isDigits(f[2], 18)) {
            throw error("o= session version must be a number of at most 18 digits: '" + abbreviate(f[2]) + "'");
        }
        try {
            return new Origin(f[0], f[1], Long.parseLong(f[2]), f[4], f[5]);
        } catch (IllegalArgumentException e) {
            throw error("o= " + e.getMessage());
        }
    }

    /** RFC 8866 §5.7: {@code IN <addrtype> <connection-address>}; a multicast /ttl suffix is dropped. */
    private Connection connection(String value) throws SdpException {
        String[] f = value.split(" ", -1);
        if (f.length != 3) {
            throw error("c= needs 3 space-separated fields, has " + f.length);
        }
        if (!f[0].equals("IN")) {
            throw error("c= network type must be IN: '" + abbreviate(f[0]) + "'");
        }
        String address = f[2];
        int slash = address.indexOf('/');
        if (slash >= 0) {
            address = address.substring(0, slash);
        }
        try {
            Connection c = new Connection(f[1], address);
            if (address.indexOf(':') >= 0 && c.inetAddress() == null) {
                throw error("c= address is not a valid IPv6 literal: '" + abbreviate(address) + "'");
            }
            return c;
        } catch (IllegalArgumentException e) {
            throw error("c= " + e.getMessage());
        }
    }

    /** RFC 8866 §5.9: {@code <start-time> <stop-time>}. */
    private void timing(String value) throws SdpException {
        String[] f = value.split(" ", -1);
        if (f.length != 2 || !SdpSyntax.isDigits(f[0], 20) || !SdpSyntax.isDigits(f[1], 20)) {
            throw error("t= needs two decimal times: '" + abbreviate(value) + "'");
        }
    }

    /** RFC 8866 §5.14: {@code <media> <port>[/<number of ports>] <proto> <fmt> ...}. */
    private void startMedia(String value) throws SdpException {
        finishMedia();
        if (media.size() >= SessionDescription.MAX_MEDIA) {
            throw error("more than " + SessionDescription.MAX_MEDIA + " media descriptions");
        }
        String[] f = value.split(" ", -1);
        if (f.length < 4) {
            throw error("m= needs media, port, protocol and at least one format");
        }
        if (f.length - 3 > SessionDescription.MAX_FORMATS) {
            throw error("more than " + SessionDescription.MAX_FORMATS + " formats");
        }
        if (!SdpSyntax.isToken(f[0])) {
            throw error("m= media type is not a token: '" + abbreviate(f[0]) + "'");
        }
        String port = f[1];
        int slash = port.indexOf('/');
        if (slash >= 0) {
            String count = port.substring(slash + 1);
            if (!SdpSyntax.isDigits(count, 5) || Integer.parseInt(count) == 0) {
                throw error("m= invalid number of ports: '" + abbreviate(count) + "'");
            }
            port = port.substring(0, slash);
        }
        if (!SdpSyntax.isDigits(port, 5) || Integer.parseInt(port) > 65535) {
            throw error("m= port must be 0-65535: '" + abbreviate(port) + "'");
        }
        if (f[2].isEmpty() || !SdpSyntax.isNonWhitespace(f[2])) {
            throw error("m= protocol is empty");
        }
        boolean rtp = MediaDescription.isRtpProtocol(f[2]);
        for (int i = 3; i < f.length; i++) {
            if (!SdpSyntax.isToken(f[i])) {
                throw error("m= format is not a token: '" + abbreviate(f[i]) + "'");
            }
            if (rtp && MediaDescription.parsePayloadType(f[i]) < 0) {
                throw error("m= RTP payload type must be 0-127: '" + abbreviate(f[i]) + "'");
            }
        }
        f[1] = port;
        mediaLine = f;
        mediaLineNumber = lineNumber;
        mediaConnection = null;
        mediaAttributes = new ArrayList<>();
    }

    private void finishMedia() throws SdpException {
        if (mediaLine == null) {
            return;
        }
        List<String> formats = List.of(mediaLine).subList(3, mediaLine.length);
        try {
            media.add(new MediaDescription(mediaLine[0], Integer.parseInt(mediaLine[1]), mediaLine[2], formats,
                    mediaConnection, mediaAttributes));
        } catch (IllegalArgumentException e) {
            throw new SdpException(mediaLineNumber, "m= " + e.getMessage());
        }
        mediaLine = null;
    }

    /** RFC 8866 §5.13, with the syntax of the attributes we interpret checked (§6). */
    private Attribute attribute(String value, boolean mediaLevel) throws SdpException {
        int colon = value.indexOf(':');
        String name = colon < 0 ? value : value.substring(0, colon);
        String attrValue = colon < 0 ? null : value.substring(colon + 1);
        if (!SdpSyntax.isToken(name)) {
            throw error("attribute name is not a token: '" + abbreviate(name) + "'");
        }
        if (Direction.fromAttribute(name).isPresent()) {
            if (attrValue != null) {
                throw error("a=" + name + " takes no value");
            }
            List<Attribute> existing = mediaLevel ? mediaAttributes : sessionAttributes;
            for (Attribute a : existing) {
                if (a.value() == null && Direction.fromAttribute(a.name()).isPresent()) {
                    throw error("more than one direction attribute");
                }
            }
        }
        if (mediaLevel && attrValue != null) {
            checkMediaAttribute(name, attrValue);
        }
        return new Attribute(name, attrValue);
    }

    private void checkMediaAttribute(String name, String value) throws SdpException {
        switch (name) {
            case "rtpmap" -> {
                Optional<PayloadFormat> f = MediaDescription.parseRtpmap(value);
                if (f.isEmpty()) {
                    throw error("malformed a=rtpmap: '" + abbreviate(value) + "'");
                }
                String prefix = f.get().payloadType() + " ";
                for (Attribute a : mediaAttributes) {
                    if (a.name().equals("rtpmap") && a.value() != null && a.value().startsWith(prefix)) {
                        throw error("second a=rtpmap for payload type " + f.get().payloadType());
                    }
                }
            }
            case "fmtp" -> {
                int space = value.indexOf(' ');
                if (space <= 0 || !SdpSyntax.isToken(value.substring(0, space))) {
                    throw error("malformed a=fmtp: '" + abbreviate(value) + "'");
                }
            }
            case "ptime", "maxptime" -> {
                if (MediaDescription.parsePtime(value) < 0) {
                    throw error("malformed a=" + name + ": '" + abbreviate(value) + "'");
                }
            }
            case "rtcp" -> {
                String[] f = value.trim().split(" ", -1);
                boolean portOk = SdpSyntax.isDigits(f[0], 5) && Integer.parseInt(f[0]) <= 65535;
                boolean addressOk = f.length == 1 || (f.length == 4 && f[1].equals("IN")
                        && (f[2].equals(Connection.IP4) || f[2].equals(Connection.IP6))
                        && !f[3].isEmpty() && SdpSyntax.isNonWhitespace(f[3]));
                if (!portOk || !addressOk) {
                    throw error("malformed a=rtcp: '" + abbreviate(value) + "'");
                }
            }
            default -> {
                // Unknown or uninterpreted attributes are kept as they are (RFC 8866 §5.13).
            }
        }
    }

    private SdpException error(String message) {
        return new SdpException(lineNumber, message);
    }

    private static String abbreviate(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length() && i < 40; i++) {
            char c = s.charAt(i);
            out.append(c < ' ' || c == 0x7F ? '?' : c);
        }
        return s.length() > 40 ? out + "..." : out.toString();
    }
}
