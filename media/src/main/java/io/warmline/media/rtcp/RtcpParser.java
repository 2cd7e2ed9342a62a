package io.warmline.media.rtcp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses an RTCP compound packet (RFC 3550 §6.1) with the validity checks of Appendix A.2: version 2 on every
 * packet, padding only on the last one, and lengths that add up exactly to the datagram. Packet types other than
 * SR, RR, SDES and BYE (APP, feedback, XR) are length-checked and skipped. A compound that does not start with SR or
 * RR is accepted, as reduced-size RTCP (RFC 5506) allows.
 *
 * <p>Reads the readable bytes of the buffer with absolute gets: neither the reader index nor the reference count is
 * changed; the caller still owns the buffer. Stateless and thread-safe.
 */
public final class RtcpParser {

    /** Largest compound accepted: one Ethernet MTU. */
    public static final int MAX_COMPOUND_LENGTH = 1500;

    private static final int HEADER = 4;
    private static final int REPORT_BLOCK = 24;
    private static final int SENDER_INFO = 20;

    private RtcpParser() {
    }

    /** Parses every packet of the compound in {@code buf}'s readable bytes. */
    public static List<RtcpPacket> parse(ByteBuf buf) throws RtcpException {
        int start = buf.readerIndex();
        int length = buf.readableBytes();
        if (length > MAX_COMPOUND_LENGTH) {
            throw new RtcpException("compound longer than " + MAX_COMPOUND_LENGTH + " bytes: " + length, 0);
        }
        if (length < HEADER) {
            throw new RtcpException("shorter than an RTCP header: " + length + " bytes", 0);
        }
        List<RtcpPacket> packets = new ArrayList<>(4);
        int offset = 0;
        while (offset < length) {
            if (length - offset < HEADER) {
                throw new RtcpException("trailing " + (length - offset) + " bytes after the last packet", offset);
            }
            int first = buf.getUnsignedByte(start + offset);
            if (first >> 6 != 2) {
                throw new RtcpException("version " + (first >> 6) + ", expected 2", offset);
            }
            int count = first & 0x1F;
            int type = buf.getUnsignedByte(start + offset + 1);
            int packetLength = (buf.getUnsignedShort(start + offset + 2) + 1) * 4;
            if (packetLength > length - offset) {
                throw new RtcpException("length " + packetLength + " exceeds the " + (length - offset)
                        + " bytes left", offset);
            }
            int body = packetLength;
            if ((first & 0x20) != 0) {
                if (offset + packetLength != length) {
                    throw new RtcpException("padding on a packet that is not the last of the compound", offset);
                }
                int padding = buf.getUnsignedByte(start + offset + packetLength - 1);
                if (padding == 0 || padding > packetLength - HEADER) {
                    throw new RtcpException("invalid padding count " + padding, offset);
                }
                body = packetLength - padding;
            }
            int from = start + offset;
            if (type == RtcpPacket.TYPE_SR) {
                packets.add(senderReport(buf, from, body, count, offset));
            } else if (type == RtcpPacket.TYPE_RR) {
                packets.add(receiverReport(buf, from, body, count, offset));
            } else if (type == RtcpPacket.TYPE_SDES) {
                packets.add(sourceDescription(buf, from, body, count, offset));
            } else if (type == RtcpPacket.TYPE_BYE) {
                packets.add(bye(buf, from, body, count, offset));
            }
            // Other types (APP, RTPFB, PSFB, XR, unknown) are skipped (RFC 3550 §6.1).
            offset += packetLength;
        }
        return packets;
    }

    private static SenderReport senderReport(ByteBuf buf, int from, int body, int count, int offset)
            throws RtcpException {
        int needed = HEADER + 4 + SENDER_INFO + count * REPORT_BLOCK;
        if (body < needed) {
            throw new RtcpException("SR with " + count + " report blocks needs " + needed + " bytes, has " + body,
                    offset);
        }
        long ssrc = buf.getUnsignedInt(from + 4);
        long ntp = buf.getLong(from + 8);
        long rtp = buf.getUnsignedInt(from + 16);
        long packets = buf.getUnsignedInt(from + 20);
        long octets = buf.getUnsignedInt(from + 24);
        return new SenderReport(ssrc, ntp, rtp, packets, octets, reportBlocks(buf, from + 28, count));
    }

    private static ReceiverReport receiverReport(ByteBuf buf, int from, int body, int count, int offset)
            throws RtcpException {
        int needed = HEADER + 4 + count * REPORT_BLOCK;
        if (body < needed) {
            throw new RtcpException("RR with " + count + " report blocks needs " + needed + " bytes, has " + body,
                    offset);
        }
        return new ReceiverReport(buf.getUnsignedInt(from + 4), reportBlocks(buf, from + 8, count));
    }

    private static List<ReportBlock> reportBlocks(ByteBuf buf, int from, int count) {
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = from + i * REPORT_BLOCK;
            int lost = buf.getInt(at + 4);
            blocks.add(new ReportBlock(
                    buf.getUnsignedInt(at),
                    lost >>> 24,
                    (lost << 8) >> 8,
                    buf.getUnsignedInt(at + 8),
                    buf.getUnsignedInt(at + 12),
                    buf.getUnsignedInt(at + 16),
                    buf.getUnsignedInt(at + 20)));
        }
        return blocks;
    }

    /** RFC 3550 §6.5: chunks of SSRC, items, a null item, padding to 32 bits. */
    private static SourceDescription sourceDescription(ByteBuf buf, int from, int body, int count, int offset)
            throws RtcpException {
        List<SourceDescription.Chunk> chunks = new ArrayList<>(count);
        int at = HEADER;
        for (int c = 0; c < count; c++) {
            if (body - at < 8) {
                throw new RtcpException("SDES chunk " + c + " truncated", offset + at);
            }
            long ssrc = buf.getUnsignedInt(from + at);
            at += 4;
            List<SourceDescription.Item> items = new ArrayList<>(2);
            while (true) {
                if (at >= body) {
                    throw new RtcpException("SDES chunk " + c + " has no terminating null item", offset + at);
                }
                int type = buf.getUnsignedByte(from + at);
                if (type == 0) {
                    at = (at + 4) & ~3;
                    break;
                }
                if (body - at < 2) {
                    throw new RtcpException("SDES item header truncated", offset + at);
                }
                int itemLength = buf.getUnsignedByte(from + at + 1);
                if (body - at - 2 < itemLength) {
                    throw new RtcpException("SDES item length " + itemLength + " exceeds the packet", offset + at);
                }
                items.add(new SourceDescription.Item(type,
                        buf.toString(from + at + 2, itemLength, StandardCharsets.UTF_8)));
                at += 2 + itemLength;
            }
            if (at > body) {
                throw new RtcpException("SDES chunk " + c + " padding runs past the packet", offset + at);
            }
            chunks.add(new SourceDescription.Chunk(ssrc, items));
        }
        return new SourceDescription(chunks);
    }

    /** RFC 3550 §6.6. */
    private static Bye bye(ByteBuf buf, int from, int body, int count, int offset) throws RtcpException {
        int needed = HEADER + count * 4;
        if (body < needed) {
            throw new RtcpException("BYE with " + count + " sources needs " + needed + " bytes, has " + body, offset);
        }
        List<Long> ssrcs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ssrcs.add(buf.getUnsignedInt(from + HEADER + i * 4));
        }
        String reason = null;
        if (body > needed) {
            int reasonLength = buf.getUnsignedByte(from + needed);
            if (body - needed - 1 < reasonLength) {
                throw new RtcpException("BYE reason length " + reasonLength + " exceeds the packet", offset + needed);
            }
            reason = buf.toString(from + needed + 1, reasonLength, StandardCharsets.UTF_8);
        }
        return new Bye(ssrcs, reason);
    }
}
