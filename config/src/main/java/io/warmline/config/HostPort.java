package io.warmline.config;

import io.warmline.config.internal.IpLiterals;
import java.util.Objects;

/**
 * A host (IPv4 literal, IPv6 literal without brackets, or DNS name) and a port. Port 0 is accepted here for
 * code that binds an ephemeral port; {@link #parse} (the config file syntax) requires 1..65535.
 */
public record HostPort(String host, int port) {

    private static final int MAX_TEXT = 300;
    private static final int MAX_HOST_NAME = 253;

    public HostPort {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            throw new IllegalArgumentException("host must be non-empty and without brackets");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
    }

    /**
     * Parses {@code host:port}, {@code host}, {@code [v6]:port} or {@code [v6]}. When the port is omitted
     * {@code defaultPort} is used; a negative {@code defaultPort} makes the port required.
     *
     * @throws IllegalArgumentException with a message saying what was expected
     */
    public static HostPort parse(String s, int defaultPort) {
        Objects.requireNonNull(s, "s");
        if (s.isEmpty() || s.length() > MAX_TEXT) {
            throw new IllegalArgumentException("expected host:port, e.g. 192.0.2.1:5060 or [2001:db8::1]:5060");
        }
        String host;
        String portText;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' after the IPv6 address");
            }
            host = s.substring(1, close);
            byte[] ip = IpLiterals.parse(host);
            if (ip == null || ip.length != 16) {
                throw new IllegalArgumentException("'[...]' must hold an IPv6 address");
            }
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                portText = null;
            } else if (rest.charAt(0) == ':') {
                portText = rest.substring(1);
            } else {
                throw new IllegalArgumentException("expected ':port' after ']'");
            }
        } else {
            int colon = s.indexOf(':');
            if (colon >= 0 && s.indexOf(':', colon + 1) >= 0) {
                throw new IllegalArgumentException("an IPv6 address needs brackets, e.g. [2001:db8::1]:5060");
            }
            host = colon < 0 ? s : s.substring(0, colon);
            portText = colon < 0 ? null : s.substring(colon + 1);
            checkHost(host);
        }
        int port;
        if (portText == null) {
            if (defaultPort < 0) {
                throw new IllegalArgumentException("a port is required, e.g. " + s + ":5060");
            }
            port = defaultPort;
        } else {
            port = parsePort(portText);
        }
        return new HostPort(host, port);
    }

    /**
     * Checks a bare host: an IPv4 literal, an IPv6 literal (no brackets) or a DNS name (RFC 1123 section 2.1).
     *
     * @throws IllegalArgumentException when it is none of them
     */
    public static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("the host is empty");
        }
        if (host.indexOf(':') >= 0) {
            if (IpLiterals.parse(host) == null) {
                throw new IllegalArgumentException("not a valid IPv6 address");
            }
            return;
        }
        if (IpLiterals.looksLikeIpv4(host)) {
            if (IpLiterals.parse(host) == null) {
                throw new IllegalArgumentException("not a valid IPv4 address");
            }
            return;
        }
        if (host.length() > MAX_HOST_NAME) {
            throw new IllegalArgumentException("host name longer than 253 characters");
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        for (String label : name.split("\\.", -1)) {
            if (!validLabel(label)) {
                throw new IllegalArgumentException(
                        "not a valid host name (letters, digits and '-' in dot-separated labels of 1..63)");
            }
        }
    }

    private static boolean validLabel(String label) {
        int n = label.length();
        if (n == 0 || n > 63 || label.charAt(0) == '-' || label.charAt(n - 1) == '-') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = label.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            throw new IllegalArgumentException("port must be a number 1..65535");
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("port must be a number 1..65535");
            }
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 1..65535");
        }
        return port;
    }

    /** True for 0.0.0.0 and :: (listen on every interface). */
    public boolean isWildcard() {
        byte[] ip = IpLiterals.parse(host);
        if (ip == null) {
            return false;
        }
        for (byte b : ip) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code host:port}, with brackets around an IPv6 host. */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
