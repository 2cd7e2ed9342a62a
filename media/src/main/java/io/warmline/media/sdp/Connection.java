package io.warmline.media.sdp;

import java.net.InetAddress;
import java.util.Objects;

/** A {@code c=} line (RFC 8866 §5.7), network type IN. Multicast TTL/count suffixes are not kept. */
public record Connection(String addressType, String address) {

    public static final String IP4 = "IP4";
    public static final String IP6 = "IP6";

    public Connection {
        Objects.requireNonNull(addressType, "addressType");
        Objects.requireNonNull(address, "address");
        if (!IP4.equals(addressType) && !IP6.equals(addressType)) {
            throw new IllegalArgumentException("address type must be IP4 or IP6: " + addressType);
        }
        if (address.isEmpty() || !SdpSyntax.isNonWhitespace(address)) {
            throw new IllegalArgumentException("invalid connection address: '" + address + "'");
        }
    }

    /** A connection for an IP literal or host name, IP6 when it contains a colon. */
    public static Connection of(String address) {
        return new Connection(address.indexOf(':') >= 0 ? IP6 : IP4, address);
    }

    /** The legacy hold address {@code 0.0.0.0} (RFC 3264 §8.4), or its IPv6 counterpart {@code ::}. */
    public boolean isHoldAddress() {
        InetAddress parsed = IpLiteral.parse(addressType, address);
        return parsed != null && parsed.isAnyLocalAddress();
    }

    /** The address as an {@link InetAddress} without any name lookup, or null when it is not an IP literal. */
    public InetAddress inetAddress() {
        return IpLiteral.parse(addressType, address);
    }

    /** The text after {@code c=}. */
    @Override
    public String toString() {
        return "IN " + addressType + " " + address;
    }
}
