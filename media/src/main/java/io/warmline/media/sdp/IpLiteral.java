package io.warmline.media.sdp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** IP address literals of SDP, parsed without any name lookup. */
final class IpLiteral {

    private IpLiteral() {
    }

    /** The address, or null when {@code text} is not an IP literal of {@code addressType} (e.g. a host name). */
    static InetAddress parse(String addressType, String text) {
        try {
            if (Connection.IP4.equals(addressType)) {
                byte[] bytes = ipv4(text);
                return bytes == null ? null : InetAddress.getByAddress(bytes);
            }
            if (Connection.IP6.equals(addressType) && text.indexOf(':') >= 0 && text.length() <= 45
                    && isIpv6Chars(text)) {
                // A string with a colon is parsed as an IPv6 literal and never looked up.
                InetAddress address = InetAddress.getByName(text);
                return address;
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!SdpSyntax.isDigits(parts[i], 3)) {
                return null;
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        return bytes;
    }

    private static boolean isIpv6Chars(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':'
                    || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
