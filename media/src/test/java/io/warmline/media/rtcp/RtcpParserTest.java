package io.warmline.media.rtcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpParserTest {

    /** Parses hex with the buffer's reader index moved past a 3-byte prefix, checking the index is left alone. */
    static <T> T withBuffer(String hex, Function<ByteBuf, T> body) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
        ByteBuf buf = Unpooled.buffer(bytes.length + 3);
        try {
            buf.writeBytes(new byte[] {1, 2, 3}).writeBytes(bytes).skipBytes(3);
            T result = body.apply(buf);
            assertEquals(3, buf.readerIndex(), "reader index untouched");
            assertEquals(bytes.length, buf.readableBytes());
            return result;
        } finally {
            buf.release();
        }
    }

    static List<RtcpPacket> parse(String hex) throws RtcpException {
        Object result = withBuffer(hex, buf -> {
            try {
                return RtcpParser.parse(buf);
            } catch (RtcpException e) {
                return e;
            }
        });
        if (result instanceof RtcpException e) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        List<RtcpPacket> packets = (List<RtcpPacket>) result;
        return packets;
    }

    /** A receiver report with one block, laid out by hand from RFC 3550 §6.4.2. */
    @Test
    void parsesHandBuiltReceiverReport() throws Exception {
        List<RtcpPacket> packets = parse(
                "81 c9 0007" // V=2 RC=1 PT=201 length=7
                + " 11223344" // reporter SSRC
                + " 55667788" // source SSRC
                + " 19 fffffe" // fraction 25, cumulative lost -2
                + " 0001 0010" // extended highest 65552
                + " 0000 00a0" // jitter 160
                + " b7052000" // LSR
                + " 00054000"); // DLSR
        assertEquals(1, packets.size());
        ReceiverReport rr = assertInstanceOf(ReceiverReport.class, packets.get(0));
        assertEquals(0x11223344L, rr.ssrc());
        assertEquals(List.of(new ReportBlock(0x55667788L, 25, -2, 65552, 160, 0xB7052000L, 0x54000L)), rr.reports());
    }

    @Test
    void parsesCompoundSenderReportSdesAndBye() throws Exception {
        List<RtcpPacket> packets = parse(
                "80 c8 0006 deadbeef" // SR, RC=0, length 6
                + " e1234567 89abcdef" // NTP
                + " 00000640 0000000a 00000640" // RTP ts 1600, 10 packets, 1600 octets
                + " 81 ca 0003 deadbeef 01 05 616c696365 00" // SDES CNAME "alice", null item, no pad needed
                + " 81 cb 0003 deadbeef 04 62796521 000000"); // BYE with reason "bye!" + 3 zero pad
        assertEquals(3, packets.size());
        SenderReport sr = assertInstanceOf(SenderReport.class, packets.get(0));
        assertEquals(0xDEADBEEFL, sr.ssrc());
        assertEquals(0xE123456789ABCDEFL, sr.ntpTimestamp());
        assertEquals(1600, sr.rtpTimestamp());
        assertEquals(10, sr.packetCount());
        assertEquals(1600, sr.octetCount());
        assertTrue(sr.reports().isEmpty());
        SourceDescription sdes = assertInstanceOf(SourceDescription.class, packets.get(1));
        assertEquals("alice", sdes.cnameOf(0xDEADBEEFL).orElseThrow());
        Bye bye = assertInstanceOf(Bye.class, packets.get(2));
        assertEquals(List.of(0xDEADBEEFL), bye.ssrcs());
        assertEquals("bye!", bye.reason());
    }

    @Test
    void skipsAppAndFeedbackPackets() throws Exception {
        List<RtcpPacket> packets = parse(
                "80 c9 0001 00000001" // empty RR
                + " 80 cc 0002 00000001 6e616d65" // APP, name "name"
                + " 81 cd 0002 00000001 00000002" // RTPFB generic NACK header only
                + " 81 cb 0001 00000001"); // BYE
        assertEquals(2, packets.size());
        assertInstanceOf(ReceiverReport.class, packets.get(0));
        Bye bye = assertInstanceOf(Bye.class, packets.get(1));
        assertNull(bye.reason());
    }

    @Test
    void acceptsPaddingOnTheLastPacket() throws Exception {
        List<RtcpPacket> packets = parse("a0 c9 0002 00000001 00000004");
        assertEquals(new ReceiverReport(1, List.of()), packets.get(0));
    }

    @Test
    void sdesWithSeveralChunksAndItems() throws Exception {
        List<RtcpPacket> packets = parse(
                "82 ca 0006"
                + " 00000001 01 01 61 02 02 6262 00" // CNAME "a", NAME "bb", null: 12 bytes
                + " 00000002 01 03 636363 00 0000"); // CNAME "ccc", null, zero fill to 12 bytes
        SourceDescription sdes = assertInstanceOf(SourceDescription.class, packets.get(0));
        assertEquals(2, sdes.chunks().size());
        assertEquals(List.of(new SourceDescription.Item(1, "a"), new SourceDescription.Item(2, "bb")),
                sdes.chunks().get(0).items());
        assertEquals("ccc", sdes.cnameOf(2).orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "empty | ''",
        "shorter than a header | 80c900",
        "version 1 | 40c90001 00000001",
        "version 0 in second packet | 80c90001 00000001 00c90001 00000001",
        "length past the end | 80c90002 00000001",
        "trailing bytes | 80c90001 00000001 00",
        "padding not on last | a0c90001 00000001 80c90001 00000001",
        "padding count zero | a0c90002 00000001 00000000",
        "padding count too large | a0c90002 00000001 00000009",
        "SR too short for sender info | 80c80001 00000001",
        "RR claims two blocks, has one | 82c90007 00000001 00000002 00000000 00000000 00000000 00000000 00000000",
        "SDES chunk truncated | 81ca0001 00000001",
        "SDES without null item | 81ca0002 00000001 01026161",
        "SDES item longer than packet | 81ca0002 00000001 01096161",
        "SDES second chunk missing | 82ca0002 00000001 00000000",
        "BYE count exceeds packet | 82cb0001 00000001",
        "BYE reason exceeds packet | 81cb0002 00000001 09616263",
    })
    void rejectsMalformed(String name, String hex) {
        assertThrows(RtcpException.class, () -> parse(hex), name);
    }

    @Test
    void rejectsCompoundLongerThanMtu() {
        StringBuilder hex = new StringBuilder();
        // 95 empty RRs of 8 bytes plus one of 8: 1504 bytes, each packet individually valid.
        for (int i = 0; i < 188; i++) {
            hex.append("80c90001 00000001 ");
        }
        RtcpException e = assertThrows(RtcpException.class, () -> parse(hex.toString()));
        assertTrue(e.getMessage().contains("1500"), e.getMessage());
    }

    @Test
    void readsSignedCumulativeLost() throws Exception {
        List<RtcpPacket> packets = parse("81c90007 00000001 00000002 ff800000 00000000 00000000 00000000 00000000");
        ReportBlock block = ((ReceiverReport) packets.get(0)).reports().get(0);
        assertEquals(255, block.fractionLost());
        assertEquals(ReportBlock.MIN_CUMULATIVE_LOST, block.cumulativeLost());
    }
}
