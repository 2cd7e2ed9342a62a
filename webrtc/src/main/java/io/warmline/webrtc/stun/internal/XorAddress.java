package io.warmline.webrtc.stun.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** XOR-MAPPED-ADDRESS value encoding (RFC 8489 §14.2): port XOR the cookie's top 16 bits, address XOR cookie || txid. */
public final class XorAddress {

    public static final int FAMILY_IPV4 = 0x01;
    public static final int FAMILY_IPV6 = 0x02;

    private XorAddress() {
    }

    /** Encoded value length for this address: 8 for IPv4, 20 for IPv6. */
    public static int length(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? 8 : 20;
    }

    /** Writes the value at {@code out[off..]}; {@code msg} holds the header (cookie and transaction ID) at 4..20. */
    public static void encode(InetSocketAddress address, byte[] msg, byte[] out, int off) {
        byte[] ip = address.getAddress().getAddress();
        out[off] = 0;
        out[off + 1] = (byte) (ip.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
        int port = address.getPort() ^ 0x2112;
        out[off + 2] = (byte) (port >>> 8);
        out[off + 3] = (byte) port;
        for (int i = 0; i < ip.length; i++) {
            out[off + 4 + i] = (byte) (ip[i] ^ msg[4 + i]);
        }
    }

    /** Decodes the value at {@code msg[off..off+len)}, or returns null when family and length do not agree. */
    public static InetSocketAddress decode(byte[] msg, int off, int len) {
        int family = msg[off + 1] & 0xFF;
        int ipLength = family == FAMILY_IPV4 ? 4 : family == FAMILY_IPV6 ? 16 : -1;
        if (ipLength < 0 || len != 4 + ipLength) {
            return null;
        }
        int port = (((msg[off + 2] & 0xFF) << 8) | (msg[off + 3] & 0xFF)) ^ 0x2112;
        byte[] ip = new byte[ipLength];
        for (int i = 0; i < ipLength; i++) {
            ip[i] = (byte) (msg[off + 4 + i] ^ msg[4 + i]);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
