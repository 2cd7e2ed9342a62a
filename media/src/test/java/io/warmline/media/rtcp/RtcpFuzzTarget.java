package io.warmline.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The property shared by the seed-corpus test and the fuzz test: parse or RtcpException, nothing else. */
final class RtcpFuzzTarget {

    private RtcpFuzzTarget() {
    }

    /** Returns true when {@code data} parsed; then checks the reader index and that writing it back round-trips. */
    static boolean check(byte[] data) {
        ByteBuf in = Unpooled.buffer(data.length + 2);
        List<RtcpPacket> packets;
        try {
            in.writeShort(0x7777).writeBytes(data).skipBytes(2);
            try {
                packets = RtcpParser.parse(in);
            } catch (RtcpException e) {
                assertTrue(e.offset() >= 0 && e.offset() <= data.length, e.getMessage());
                return false;
            } finally {
                assertEquals(2, in.readerIndex(), "reader index untouched");
            }
        } finally {
            in.release();
        }
        ByteBuf out = Unpooled.buffer();
        try {
            try {
                RtcpWriter.writeCompound(packets, out);
            } catch (IllegalArgumentException e) {
                // Only texts that grew beyond 255 bytes when invalid UTF-8 was replaced may be refused.
                assertTrue(hasLongText(packets), e.getMessage());
                return true;
            }
            if (out.readableBytes() > 0 && out.readableBytes() <= RtcpParser.MAX_COMPOUND_LENGTH) {
                assertEquals(packets, RtcpParser.parse(out), "write then parse");
            }
        } catch (RtcpException e) {
            throw new AssertionError("our own encoding does not parse: " + e.getMessage(), e);
        } finally {
            out.release();
        }
        return true;
    }

    private static boolean hasLongText(List<RtcpPacket> packets) {
        for (RtcpPacket p : packets) {
            if (p instanceof Bye bye && bye.reason() != null && utf8Length(bye.reason()) > 255) {
                return true;
            }
            if (p instanceof SourceDescription sdes) {
                for (SourceDescription.Chunk c : sdes.chunks()) {
                    for (SourceDescription.Item item : c.items()) {
                        if (utf8Length(item.text()) > 255) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
