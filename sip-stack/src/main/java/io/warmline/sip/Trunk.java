package io.warmline.sip;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A carrier trunk: where outbound calls go, and who may send us calls.
 *
 * @param transport      "udp", "tcp" or "tls" (dialling needs a listening point of the same transport)
 * @param proxyHost      outbound proxy (a loose Route), or null
 * @param credentials    answers the trunk's digest challenges, or null
 * @param callerId       user part of our From on outbound calls; null = the credentials' username, else anonymous
 * @param allow          source addresses whose INVITEs are accepted for this trunk
 * @param numberPatterns Request-URI users this trunk may call: exact, or a prefix ending in '*' ("*" = any)
 * @param ringTimeout    outbound calls unanswered for this long are CANCELled ({@link FailureReason#NO_ANSWER})
 * @param extraHeaders   added to every outbound INVITE (names must be SIP tokens)
 */
public record Trunk(String name, String outboundHost, int outboundPort, String transport, String proxyHost,
                    int proxyPort, DigestCredentials credentials, String callerId, List<AddressRange> allow,
                    List<String> numberPatterns, Duration ringTimeout, Map<String, String> extraHeaders) {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9.!%*_+`'~-]+");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9+*#._-]{1,64}");

    public Trunk {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outboundHost, "outboundHost");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(ringTimeout, "ringTimeout");
        transport = transport.toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp") && !transport.equals("tls")) {
            throw new IllegalArgumentException("trunk " + name + ": transport must be udp, tcp or tls");
        }
        if (outboundPort < 1 || outboundPort > 65535) {
            throw new IllegalArgumentException("trunk " + name + ": outboundPort out of range: " + outboundPort);
        }
        if (proxyHost != null && (proxyPort < 1 || proxyPort > 65535)) {
            throw new IllegalArgumentException("trunk " + name + ": proxyPort out of range: " + proxyPort);
        }
        if (callerId != null && !USER.matcher(callerId).matches()) {
            throw new IllegalArgumentException("trunk " + name + ": callerId is not a valid SIP user: " + callerId);
        }
        if (ringTimeout.isNegative() || ringTimeout.isZero()) {
            throw new IllegalArgumentException("trunk " + name + ": ringTimeout must be positive");
        }
        allow = List.copyOf(allow == null ? List.of() : allow);
        numberPatterns = List.copyOf(numberPatterns == null ? List.of() : numberPatterns);
        for (String p : numberPatterns) {
            int star = p.indexOf('*');
            if (p.isEmpty() || (star >= 0 && star != p.length() - 1)) {
                throw new IllegalArgumentException("trunk " + name + ": number pattern must be exact or end in '*': " + p);
            }
        }
        extraHeaders = Map.copyOf(extraHeaders == null ? Map.of() : extraHeaders);
        for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
            if (!TOKEN.matcher(h.getKey()).matches() || h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0) {
                throw new IllegalArgumentException("trunk " + name + ": bad extra header " + h.getKey());
            }
        }
    }

    /** Whether an inbound call from {@code source} for {@code number} belongs to this trunk. */
    public boolean admits(java.net.InetAddress source, String number) {
        return allows(source) && matchesNumber(number);
    }

    public boolean allows(java.net.InetAddress source) {
        for (AddressRange r : allow) {
            if (r.contains(source)) {
                return true;
            }
        }
        return false;
    }

    public boolean matchesNumber(String number) {
        if (number == null) {
            return false;
        }
        for (String p : numberPatterns) {
            if (p.endsWith("*") ? number.startsWith(p.substring(0, p.length() - 1)) : number.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code number} may be put in the user part of an outbound Request-URI (see {@link #uriUser}). */
    public static boolean isDialable(String number) {
        return number != null && USER.matcher(number).matches();
    }

    /**
     * The user part of a SIP URI for a dialable number: {@code #} is not allowed there unescaped (RFC 3261 §19.1.2,
     * §25.1 "user"), so it is written {@code %23}; PBXs unescape it back to the key.
     */
    public static String uriUser(String number) {
        return number.replace("#", "%23");
    }
}
