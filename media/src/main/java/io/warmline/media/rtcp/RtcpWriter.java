package io.warmline.media.rtcp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes RTCP packets (RFC 3550 §6.4-§6.6) into a caller-supplied buffer at its writer index. Never writes padding;
 * SDES chunks and BYE reasons are zero-filled to 32-bit boundaries as the RFC requires. Texts longer than 255 UTF-8
 * bytes are refused with {@link IllegalArgumentException} before anything of that text is written. Stateless and
 * thread-safe.
 */
public final class RtcpWriter {

    private RtcpWriter() {
    }

    /** Writes the packets back to back as one compound (RFC 3550 §6.1); returns the number of bytes written. */
    public static int writeCompound(List<? extends RtcpPacket> packets, ByteBuf out) {
        int start = out.writerIndex();
        for (RtcpPacket packet : packets) {
            write(packet, out);
        }
        return out.writerIndex() - start;
    }

    /** Writes one packet; returns the number of bytes written. */
    public static int write(RtcpPacket packet, ByteBuf out) {
        int start = out.writerIndex();
        if (packet instanceof SenderReport sr) {
            header(out, sr.reports().size(), RtcpPacket.TYPE_SR);
            out.writeInt((int) sr.ssrc());
            out.writeLong(sr.ntpTimestamp());
            out.writeInt((int) sr.rtpTimestamp());
            out.writeInt((int) sr.packetCount());
            out.writeInt((int) sr.octetCount());
            reportBlocks(out, sr.reports());
        } else if (packet instanceof ReceiverReport rr) {
            header(out, rr.reports().size(), RtcpPacket.TYPE_RR);
            out.writeInt((int) rr.ssrc());
            reportBlocks(out, rr.reports());
        } else if (packet instanceof SourceDescription sdes) {
            header(out, sdes.chunks().size(), RtcpPacket.TYPE_SDES);
            for (SourceDescription.Chunk chunk : sdes.chunks()) {
                int chunkStart = out.writerIndex();
                out.writeInt((int) chunk.ssrc());
                for (SourceDescription.Item item : chunk.items()) {
                    byte[] text = utf8(item.text(), "SDES item text");
                    out.writeByte(item.type());
                    out.writeByte(text.length);
                    out.writeBytes(text);
                }
                // The null item, then zeros to the next 32-bit boundary.
                int used = out.writerIndex() - chunkStart;
                out.writeZero(4 - (used & 3));
            }
        } else if (packet instanceof Bye bye) {
            header(out, bye.ssrcs().size(), RtcpPacket.TYPE_BYE);
            for (long ssrc : bye.ssrcs()) {
                out.writeInt((int) ssrc);
            }
            if (bye.reason() != null) {
                byte[] text = utf8(bye.reason(), "BYE reason");
                out.writeByte(text.length);
                out.writeBytes(text);
                out.writeZero((4 - ((1 + text.length) & 3)) & 3);
            }
        } else {
            throw new IllegalArgumentException("unknown RTCP packet " + packet);
        }
        int length = out.writerIndex() - start;
        out.setShort(start + 2, length / 4 - 1);
        return length;
    }

    private static byte[] utf8(String text, String what) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 255) {
            throw new IllegalArgumentException(what + " longer than 255 bytes: " + bytes.length);
        }
        return bytes;
    }

    private static void header(ByteBuf out, int count, int type) {
        out.writeByte(0x80 | count);
        out.writeByte(type);
        out.writeShort(0);
    }

    private static void reportBlocks(ByteBuf out, List<ReportBlock> blocks) {
        for (ReportBlock block : blocks) {
            out.writeInt((int) block.ssrc());
            out.writeInt((block.fractionLost() << 24) | (block.cumulativeLost() & 0xFFFFFF));
            out.writeInt((int) block.extendedHighestSeq());
            out.writeInt((int) block.jitter());
            out.writeInt((int) block.lastSr());
            out.writeInt((int) block.delaySinceLastSr());
        }
    }
}
