package io.warmline.config;

import io.warmline.config.internal.IpLiterals;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network (RFC 4632 / RFC 4291 section 2.3 prefix notation). IPv4 addresses and IPv4-mapped
 * IPv6 addresses ({@code ::ffff:a.b.c.d}) are the same address for {@link #contains}.
 */
public record Cidr(InetAddress network, int prefixLength) {

    private static final int MAX_TEXT = 49;

    public Cidr {
        Objects.requireNonNull(network, "network");
        byte[] b = network.getAddress();
        if (prefixLength < 0 || prefixLength > b.length * 8) {
            throw new IllegalArgumentException("prefix length must be 0.." + b.length * 8);
        }
        if (!hostBitsZero(b, prefixLength)) {
            throw new IllegalArgumentException("address has bits set after the prefix");
        }
    }

    /**
     * Parses {@code addr/len}, or a bare address meaning /32 (IPv4) or /128 (IPv6).
     *
     * @throws IllegalArgumentException with a message saying what was expected
     */
    public static Cidr parse(String s) {
        Objects.requireNonNull(s, "s");
        if (s.isEmpty() || s.length() > MAX_TEXT) {
            throw new IllegalArgumentException("expected an address or network, e.g. 203.0.113.0/24 or 2001:db8::/32");
        }
        int slash = s.indexOf('/');
        String addrText = slash < 0 ? s : s.substring(0, slash);
        byte[] addr = IpLiterals.parse(addrText);
        if (addr == null) {
            throw new IllegalArgumentException(
                    "not an IP address or network, expected e.g. 203.0.113.0/24 or 2001:db8::/32");
        }
        int max = addr.length * 8;
        int prefix = max;
        if (slash >= 0) {
            String lenText = s.substring(slash + 1);
            if (lenText.isEmpty() || lenText.length() > 3 || !lenText.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (lenText.length() > 1 && lenText.charAt(0) == '0')) {
                throw new IllegalArgumentException("prefix length must be a number 0.." + max);
            }
            prefix = Integer.parseInt(lenText);
            if (prefix > max) {
                throw new IllegalArgumentException("prefix length " + prefix + " is out of range 0.." + max);
            }
        }
        if (IpLiterals.isV4Mapped(addr) && prefix >= 96) {
            byte[] v4 = new byte[] {addr[12], addr[13], addr[14], addr[15]};
            addr = v4;
            prefix -= 96;
        }
        if (!hostBitsZero(addr, prefix)) {
            throw new IllegalArgumentException("bits are set after the /" + prefix + " prefix; write the network address, e.g. "
                    + IpLiterals.toAddress(mask(addr, prefix)).getHostAddress() + "/" + prefix);
        }
        return new Cidr(IpLiterals.toAddress(addr), prefix);
    }

    public boolean contains(InetAddress a) {
        Objects.requireNonNull(a, "a");
        byte[] net = network.getAddress();
        byte[] b = a.getAddress();
        if (net.length == 4 && b.length == 16) {
            if (!IpLiterals.isV4Mapped(b)) {
                return false;
            }
            b = new byte[] {b[12], b[13], b[14], b[15]};
        } else if (net.length == 16 && b.length == 4) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(b, 0, mapped, 12, 4);
            b = mapped;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (net[i] != b[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int m = (0xff << (8 - rest)) & 0xff;
        return (net[full] & m) == (b[full] & m);
    }

    private static boolean hostBitsZero(byte[] b, int prefix) {
        byte[] masked = mask(b, prefix);
        for (int i = 0; i < b.length; i++) {
            if (masked[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] mask(byte[] b, int prefix) {
        byte[] out = b.clone();
        for (int bit = prefix; bit < out.length * 8; bit++) {
            out[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return out;
    }

    /** {@code network/prefix}, e.g. {@code 203.0.113.0/24}. */
    @Override
    public String toString() {
        String text = network instanceof Inet4Address ? network.getHostAddress() : compressV6(network.getAddress());
        return text + "/" + prefixLength;
    }

    private static String compressV6(byte[] b) {
        // RFC 5952 section 4: the longest run (first if tied) of two or more zero groups becomes "::".
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
