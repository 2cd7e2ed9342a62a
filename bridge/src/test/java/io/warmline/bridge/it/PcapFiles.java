package io.warmline.bridge.it;

import io.warmline.media.codec.G711;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntPredicate;

/**
 * Makes RTP captures for SIPp's {@code play_pcap_audio} from the shared A-law one: the same packets and timing
 * with the payload re-encoded as G.711 mu-law and the payload type set to 0 (RFC 3551 section 6).
 */
final class PcapFiles {
    private static final int GLOBAL_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int LINKTYPE_ETHERNET = 1;

    private PcapFiles() {}

    /** Writes {@code out}: every RTP packet of {@code alawPcap} (PT 8) as PCMU (PT 0). */
    static Path alawToUlaw(Path alawPcap, Path out) throws IOException {
        return alawToUlaw(alawPcap, out, packet -> true);
    }

    /**
     * Writes {@code out}: the RTP packets of {@code alawPcap} (PT 8) whose index among them {@code which} accepts as
     * PCMU (PT 0), the others as they are; sequence numbers and timestamps stay (a carrier switching payload type).
     */
    static Path alawToUlaw(Path alawPcap, Path out, IntPredicate which) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(alawPcap));
        int magic = in.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (magic == 0xd4c3b2a1) {
            in.order(ByteOrder.LITTLE_ENDIAN);
        } else if (magic != 0xa1b2c3d4) {
            throw new IOException(alawPcap + ": not a classic pcap file (magic " + Integer.toHexString(magic) + ")");
        }
        if (in.getInt(20) != LINKTYPE_ETHERNET) {
            throw new IOException(alawPcap + ": link type " + in.getInt(20) + ", expected Ethernet");
        }
        byte[] data = in.array().clone();
        int converted = 0;
        int index = 0;
        for (int at = GLOBAL_HEADER; at + RECORD_HEADER <= data.length; ) {
            int captured = in.getInt(at + 8);
            int frame = at + RECORD_HEADER;
            if (captured < 0 || frame + captured > data.length) {
                throw new IOException(alawPcap + ": truncated record at byte " + at);
            }
            if (isPcma(data, frame, captured)) {
                if (which.test(index++)) {
                    toUlaw(data, frame, captured);
                    converted++;
                }
            }
            at = frame + captured;
        }
        if (converted == 0) {
            throw new IOException(alawPcap + ": no PCMA RTP packet found");
        }
        Files.write(out, data);
        return out;
    }

    /** Whether one frame is Ethernet/IPv4/UDP/RTP with PT 8. */
    private static boolean isPcma(byte[] d, int frame, int length) {
        int ip = frame + 14;
        if (length < 14 + 20 + 8 + 12 || (d[frame + 12] & 0xff) != 0x08 || d[frame + 13] != 0x00
                || (d[ip] & 0xf0) != 0x40 || d[ip + 9] != 17) {
            return false;
        }
        int rtp = ip + (d[ip] & 0x0f) * 4 + 8;
        return rtp + 12 <= frame + length && (d[rtp] & 0xc0) == 0x80 && (d[rtp + 1] & 0x7f) == 8;
    }

    /** Rewrites one frame that {@link #isPcma} accepted in place as PCMU. */
    private static void toUlaw(byte[] d, int frame, int length) {
        int ip = frame + 14;
        int udp = ip + (d[ip] & 0x0f) * 4;
        int rtp = udp + 8;
        int end = frame + length;
        int payload = rtp + 12 + 4 * (d[rtp] & 0x0f);
        if ((d[rtp] & 0x10) != 0) { // RFC 3550 section 5.3.1 header extension
            payload += 4 + 4 * (((d[payload + 2] & 0xff) << 8) | (d[payload + 3] & 0xff));
        }
        int padding = (d[rtp] & 0x20) != 0 ? d[end - 1] & 0xff : 0;
        d[rtp + 1] = (byte) (d[rtp + 1] & 0x80); // keep the marker, PT 0
        for (int i = payload; i < end - padding; i++) {
            d[i] = G711.alawToUlaw(d[i]);
        }
        d[udp + 6] = 0; // UDP checksum: none (RFC 768), the payload changed
        d[udp + 7] = 0;
    }
}
