package io.warmline.webrtc.sdp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code a=candidate} (RFC 8839 §5.1, with RFC 6544 §4.5 {@code tcptype}).
 *
 * @param address an IP literal, or a name (browsers hide host addresses behind mDNS {@code .local} names)
 * @param relatedAddress {@code raddr}, or null
 * @param relatedPort {@code rport}, or -1
 * @param tcpType {@code active}, {@code passive} or {@code so} for TCP candidates, else null
 */
public record IceCandidate(String foundation, int component, String transport, long priority, String address,
        int port, String type, String relatedAddress, int relatedPort, String tcpType) {

    public static final String UDP = "udp";
    public static final String TCP = "tcp";
    public static final String HOST = "host";

    /** Longest candidate line accepted. */
    public static final int MAX_LENGTH = 512;

    /** RFC 8445 §5.1.2.2: the recommended type preference of host candidates. */
    static final int HOST_TYPE_PREFERENCE = 126;

    public IceCandidate {
        Objects.requireNonNull(foundation, "foundation");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        if (!IceCredentials.isIceChars(foundation, 1, 32)) {
            throw new IllegalArgumentException("foundation must be 1-32 ice-chars");
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component out of range: " + component);
        }
        transport = transport.toLowerCase(Locale.ROOT);
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        if (address.isEmpty() || address.length() > 255 || !visible(address)) {
            throw new IllegalArgumentException("invalid connection address");
        }
        if (port < 0 || port > 65535 || relatedPort < -1 || relatedPort > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        if (relatedAddress != null
                && (relatedAddress.isEmpty() || relatedAddress.length() > 255 || !visible(relatedAddress))) {
            throw new IllegalArgumentException("invalid related address");
        }
        if (type.isEmpty() || !visible(type)) {
            throw new IllegalArgumentException("invalid candidate type");
        }
        if (tcpType != null && !tcpType.equals("active") && !tcpType.equals("passive") && !tcpType.equals("so")) {
            throw new IllegalArgumentException("tcptype must be active, passive or so: " + tcpType);
        }
    }

    /**
     * Parses a candidate: the attribute value, with or without a leading {@code a=} and {@code candidate:}.
     * Empty when malformed; unknown extension attributes are skipped.
     */
    public static Optional<IceCandidate> parse(String line) {
        if (line == null || line.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String v = line.trim();
        if (v.startsWith("a=")) {
            v = v.substring(2);
        }
        if (v.startsWith("candidate:")) {
            v = v.substring("candidate:".length());
        }
        String[] f = v.split(" +", 64);
        if (f.length < 8 || !f[6].equals("typ")) {
            return Optional.empty();
        }
        try {
            int component = digits(f[1], 3);
            long priority = Long.parseLong(requireDigits(f[3], 10));
            int port = digits(f[5], 5);
            String relAddr = null;
            int relPort = -1;
            String tcpType = null;
            for (int i = 8; i + 1 < f.length; i += 2) {
                switch (f[i]) {
                    case "raddr" -> relAddr = f[i + 1];
                    case "rport" -> relPort = digits(f[i + 1], 5);
                    case "tcptype" -> tcpType = f[i + 1].toLowerCase(Locale.ROOT);
                    default -> {
                        // RFC 8839 §5.1: unknown extension attributes are ignored.
                    }
                }
            }
            return Optional.of(new IceCandidate(f[0], component, f[2], priority, f[4], port, f[7], relAddr, relPort,
                    tcpType));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Our host candidates (component 1, RFC 8445 §5.1.1.1): every UDP address first, then every passive TCP address
     * (RFC 6544 §4.5). Priorities follow RFC 8445 §5.1.2.1 with the RFC 6544 §4.2 local preference for TCP, so a
     * browser that can reach us over UDP prefers it; earlier addresses in each list are preferred.
     */
    public static List<IceCandidate> hostCandidates(List<InetSocketAddress> udp, List<InetSocketAddress> tcpPassive) {
        List<IceCandidate> out = new ArrayList<>();
        List<String> foundations = new ArrayList<>();
        for (int i = 0; i < udp.size(); i++) {
            InetSocketAddress a = udp.get(i);
            long localPreference = 65535 - Math.min(i, 8191);
            out.add(new IceCandidate(foundation(foundations, UDP, a.getAddress()), 1, UDP,
                    priority(HOST_TYPE_PREFERENCE, localPreference, 1), literal(a.getAddress()), a.getPort(), HOST,
                    null, -1, null));
        }
        for (int i = 0; i < tcpPassive.size(); i++) {
            InetSocketAddress a = tcpPassive.get(i);
            // RFC 6544 §4.2: (2^13) * direction-pref + other-pref; passive host candidates have direction-pref 4.
            long localPreference = (1L << 13) * 4 + (8191 - Math.min(i, 8191));
            out.add(new IceCandidate(foundation(foundations, TCP, a.getAddress()), 1, TCP,
                    priority(HOST_TYPE_PREFERENCE, localPreference, 1), literal(a.getAddress()), a.getPort(), HOST,
                    null, -1, "passive"));
        }
        return out;
    }

    /** RFC 8445 §5.1.2.1. */
    static long priority(int typePreference, long localPreference, int component) {
        return (1L << 24) * typePreference + (1L << 8) * localPreference + (256 - component);
    }

    /** RFC 8445 §5.1.1.3: same type, base address and transport share a foundation. */
    private static String foundation(List<String> seen, String transport, InetAddress base) {
        String key = transport + " " + base.getHostAddress();
        int index = seen.indexOf(key);
        if (index < 0) {
            seen.add(key);
            index = seen.size() - 1;
        }
        return Integer.toString(index + 1);
    }

    /** The address as written in SDP: dotted IPv4, or RFC 5952 §4 compressed IPv6 without a zone. */
    static String literal(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xFF) << 8 | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }

    /** The address as an {@link InetAddress} when it is an IP literal; empty for a name (no lookup is made). */
    public Optional<InetAddress> ipAddress() {
        if (!looksLikeIpLiteral(address)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(address));
        } catch (java.net.UnknownHostException e) {
            return Optional.empty();
        }
    }

    public boolean isUdp() {
        return UDP.equals(transport);
    }

    /** The attribute value after {@code a=candidate:}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(96);
        s.append(foundation).append(' ').append(component).append(' ').append(transport.toUpperCase(Locale.ROOT))
                .append(' ').append(priority).append(' ').append(address).append(' ').append(port)
                .append(" typ ").append(type);
        if (relatedAddress != null) {
            s.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            s.append(" rport ").append(relatedPort);
        }
        if (tcpType != null) {
            s.append(" tcptype ").append(tcpType);
        }
        return s.toString();
    }

    private static boolean looksLikeIpLiteral(String s) {
        if (s.indexOf(':') >= 0) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                    return false;
                }
            }
            return true;
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static String requireDigits(String s, int max) {
        if (s.isEmpty() || s.length() > max || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a number");
        }
        return s;
    }

    private static int digits(String s, int max) {
        return Integer.parseInt(requireDigits(s, max));
    }
}
