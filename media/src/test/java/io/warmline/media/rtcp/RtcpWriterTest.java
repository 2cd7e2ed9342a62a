package io.warmline.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpWriterTest {

    private static String hex(List<? extends RtcpPacket> packets) {
        ByteBuf out = Unpooled.buffer();
        try {
            int written = RtcpWriter.writeCompound(packets, out);
            assertEquals(out.readableBytes(), written);
            return ByteBufUtil.hexDump(out);
        } finally {
            out.release();
        }
    }

    private static List<RtcpPacket> roundTrip(List<? extends RtcpPacket> packets) throws RtcpException {
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeByte(0x55);
            RtcpWriter.writeCompound(packets, out);
            out.skipBytes(1);
            return RtcpParser.parse(out);
        } finally {
            out.release();
        }
    }

    @Test
    void writesReceiverReportByteForByte() {
        ReceiverReport rr = new ReceiverReport(0x11223344L,
                List.of(new ReportBlock(0x55667788L, 25, -2, 65552, 160, 0xB7052000L, 0x54000L)));
        assertEquals("81c90007" + "11223344" + "55667788" + "19fffffe" + "00010010" + "000000a0" + "b7052000"
                + "00054000", hex(List.of(rr)));
    }

    @Test
    void writesSdesAndByeWithZeroFill() {
        assertEquals("81ca0003" + "deadbeef" + "0105616c69636500", hex(List.of(SourceDescription.cname(0xDEADBEEFL,
                "alice"))));
        assertEquals("81ca0003" + "00000001" + "01046162636400000000".substring(0, 16),
                hex(List.of(SourceDescription.cname(1, "abcd"))).substring(0, 32));
        assertEquals("81cb0003" + "deadbeef" + "0462796521000000", hex(List.of(new Bye(List.of(0xDEADBEEFL),
                "bye!"))));
        assertEquals("81cb0001" + "00000007", hex(List.of(Bye.of(7))));
    }

    @Test
    void sdesChunkEndingOnBoundaryGetsAFullNullWord() {
        // ssrc(4) + type/len/"ab"(4) = 8 bytes, so a whole zero word follows.
        assertEquals("81ca0003" + "00000001" + "01026162" + "00000000",
                hex(List.of(SourceDescription.cname(1, "ab"))));
    }

    @Test
    void roundTripsEveryPacketType() throws Exception {
        List<ReportBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            blocks.add(new ReportBlock(0xFFFFFFF0L + (i % 16), i * 8, i % 2 == 0 ? -i * 1000 : i * 1000,
                    0xFFFFFFFFL - i, i * 17L, 0x80000000L + i, 0xFFFFFFFFL));
        }
        List<RtcpPacket> packets = List.of(
                new SenderReport(0xFEDCBA98L, 0x8000000100000002L, 0xFFFFFFFFL, 123456, 0xFFFFFFFFL, blocks),
                new ReceiverReport(42, blocks.subList(0, 3)),
                new SourceDescription(List.of(
                        new SourceDescription.Chunk(1, List.of(new SourceDescription.Item(1, "user@host"),
                                new SourceDescription.Item(6, "Warmline"))),
                        new SourceDescription.Chunk(2, List.of()),
                        new SourceDescription.Chunk(3, List.of(new SourceDescription.Item(2, "ünïcødé"))))),
                new Bye(List.of(1L, 2L, 3L), ""),
                new Bye(List.of(), "x".repeat(255)));
        assertEquals(packets, roundTrip(packets));
    }

    @Test
    void refusesTooLongTextsAndTooManyBlocks() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThrows(IllegalArgumentException.class,
                    () -> RtcpWriter.write(SourceDescription.cname(1, "y".repeat(256)), out));
            assertThrows(IllegalArgumentException.class,
                    () -> RtcpWriter.write(new Bye(List.of(), "é".repeat(128)), out));
        } finally {
            out.release();
        }
        List<ReportBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            blocks.add(new ReportBlock(i, 0, 0, 0, 0, 0, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> new ReceiverReport(1, blocks));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(1, 256, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(1, 0, 0x800000, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReportBlock(-1, 0, 0, 0, 0, 0, 0));
    }
}
