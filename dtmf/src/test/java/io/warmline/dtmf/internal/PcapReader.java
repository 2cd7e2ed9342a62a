package io.warmline.dtmf.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the UDP payloads out of a classic libpcap file (Ethernet or Linux cooked capture, IPv4, UDP), for replaying
 * captured RTP in tests. Bounded: files above 16 MiB and records above 64 KiB are refused.
 */
public final class PcapReader {

    /** One UDP datagram: capture time in nanoseconds and its payload. */
    public record Datagram(long timeNanos, byte[] payload) {
    }

    private static final int MAX_FILE = 16 << 20;
    private static final int MAX_RECORD = 1 << 16;
    private static final int LINKTYPE_ETHERNET = 1;
    private static final int LINKTYPE_LINUX_SLL = 113;

    private PcapReader() {
    }

    public static List<Datagram> udpPayloads(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IOException("capture too large: " + file);
        }
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
        if (in.remaining() < 24) {
            throw new IOException("no pcap header: " + file);
        }
        int magic = in.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        boolean nanos;
        if (magic == 0xA1B2C3D4 || magic == 0xA1B23C4D) {
            nanos = magic == 0xA1B23C4D;
        } else {
            in.order(ByteOrder.BIG_ENDIAN);
            magic = in.getInt(0);
            if (magic != 0xA1B2C3D4 && magic != 0xA1B23C4D) {
                throw new IOException("not a classic pcap file: " + file);
            }
            nanos = magic == 0xA1B23C4D;
        }
        int linkType = in.getInt(20) & 0x0FFFFFFF;
        if (linkType != LINKTYPE_ETHERNET && linkType != LINKTYPE_LINUX_SLL) {
            throw new IOException("unsupported link type " + linkType + ": " + file);
        }
        List<Datagram> out = new ArrayList<>();
        int at = 24;
        while (at + 16 <= in.limit()) {
            long seconds = in.getInt(at) & 0xFFFFFFFFL;
            long fraction = in.getInt(at + 4) & 0xFFFFFFFFL;
            int captured = in.getInt(at + 8);
            at += 16;
            if (captured < 0 || captured > MAX_RECORD || at + captured > in.limit()) {
                throw new IOException("truncated record at offset " + at + ": " + file);
            }
            byte[] payload = udpPayload(in.duplicate().order(ByteOrder.BIG_ENDIAN), at, captured, linkType);
            if (payload != null) {
                out.add(new Datagram(seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000), payload));
            }
            at += captured;
        }
        return out;
    }

    private static byte[] udpPayload(ByteBuffer b, int start, int length, int linkType) {
        int end = start + length;
        int ip;
        int etherType;
        if (linkType == LINKTYPE_ETHERNET) {
            ip = start + 14;
            if (ip > end) {
                return null;
            }
            etherType = b.getShort(start + 12) & 0xFFFF;
            if (etherType == 0x8100 && ip + 4 <= end) {
                etherType = b.getShort(start + 16) & 0xFFFF;
                ip += 4;
            }
        } else {
            ip = start + 16;
            if (ip > end) {
                return null;
            }
            etherType = b.getShort(start + 14) & 0xFFFF;
        }
        if (etherType != 0x0800 || ip + 20 > end) {
            return null;
        }
        int ihl = (b.get(ip) & 0x0F) * 4;
        if ((b.get(ip) >>> 4 & 0x0F) != 4 || ihl < 20 || b.get(ip + 9) != 17 || ip + ihl + 8 > end) {
            return null;
        }
        int udp = ip + ihl;
        int udpLength = b.getShort(udp + 4) & 0xFFFF;
        if (udpLength < 8 || udp + udpLength > end) {
            return null;
        }
        byte[] payload = new byte[udpLength - 8];
        b.get(udp + 8, payload);
        return payload;
    }
}
