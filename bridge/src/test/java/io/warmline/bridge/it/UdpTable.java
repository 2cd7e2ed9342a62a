package io.warmline.bridge.it;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Reads Linux's /proc/net/udp: whether a socket is bound to an address, and its receive-buffer drop count. */
final class UdpTable {
    private UdpTable() {}

    static boolean isBound(String ip, int port) throws IOException {
        return find(ip, port) != null;
    }

    /** The "drops" column for the socket bound to ip:port (datagrams lost to a full receive buffer), or -1. */
    static long drops(String ip, int port) throws IOException {
        String[] row = find(ip, port);
        return row == null ? -1 : Long.parseLong(row[row.length - 1]);
    }

    private static String[] find(String ip, int port) throws IOException {
        byte[] a = InetAddress.getByName(ip).getAddress();
        // The address is printed as a little-endian 32-bit word.
        String local = String.format(Locale.ROOT, "%02X%02X%02X%02X:%04X", a[3], a[2], a[1], a[0], port);
        String any = String.format(Locale.ROOT, "00000000:%04X", port);
        for (String line : Files.readAllLines(Path.of("/proc/net/udp"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && (f[1].equals(local) || f[1].equals(any))) {
                return f;
            }
        }
        return null;
    }
}
