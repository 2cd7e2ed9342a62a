package io.warmline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.media.transport.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(LeakCheck.class)
class RtpHeaderTest {

    private static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    @Test
    void readsFixedHeaderFields() {
        // V=2, M=1, PT=8, seq=0x1234, ts=0xDEADBEEF, ssrc=0xCAFEBABE, 4 payload bytes
        ByteBuf p = hex("80 88 1234 DEADBEEF CAFEBABE 01020304");
        try {
            assertTrue(RtpHeader.isValid(p));
            assertEquals(2, RtpHeader.version(p));
            assertTrue(RtpHeader.marker(p));
            assertEquals(8, RtpHeader.payloadType(p));
            assertEquals(0x1234, RtpHeader.sequence(p));
            assertEquals(0xDEADBEEFL, RtpHeader.timestamp(p));
            assertEquals(0xCAFEBABEL, RtpHeader.ssrc(p));
            assertEquals(12, RtpHeader.headerLength(p));
            assertEquals(4, RtpHeader.payloadLength(p));
            assertEquals(12, RtpHeader.payloadOffset(p));
        } finally {
            p.release();
        }
    }

    @Test
    void honoursReaderIndex() {
        ByteBuf p = hex("FFFF 80 00 0001 00000002 00000003");
        try {
            p.skipBytes(2);
            assertTrue(RtpHeader.isValid(p));
            assertEquals(1, RtpHeader.sequence(p));
            assertEquals(2L, RtpHeader.timestamp(p));
            assertEquals(3L, RtpHeader.ssrc(p));
            assertEquals(0, RtpHeader.payloadLength(p));
            RtpHeader.setSequence(p, 0xFFFF);
            assertEquals(0xFFFF, p.getUnsignedShort(4));
        } finally {
            p.release();
        }
    }

    @Test
    void csrcExtensionAndPaddingAreExcludedFromPayload() {
        // V=2 P=1 X=1 CC=2; 2 CSRCs; extension profile 0xBEDE with 1 word; payload AABB; padding 3 (incl. count)
        ByteBuf p = hex("B2 00 0001 00000000 00000001 00000011 00000022 BEDE0001 11223344 AABB 0000 03");
        try {
            assertTrue(RtpHeader.isValid(p));
            assertEquals(2, RtpHeader.csrcCount(p));
            assertTrue(RtpHeader.hasExtension(p));
            assertTrue(RtpHeader.hasPadding(p));
            assertEquals(12 + 8 + 8, RtpHeader.headerLength(p));
            assertEquals(3, RtpHeader.paddingLength(p));
            assertEquals(2, RtpHeader.payloadLength(p));
            assertEquals(0xAA, p.getUnsignedByte(RtpHeader.payloadOffset(p)));
        } finally {
            p.release();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "too short, 80 00 0001 00000000 000000",
        "version 0, 00 00 0001 00000000 00000000",
        "version 1, 40 00 0001 00000000 00000000",
        "version 3, C0 00 0001 00000000 00000000",
        "CSRC list beyond end, 81 00 0001 00000000 00000000",
        "extension header beyond end, 90 00 0001 00000000 00000000 BEDE",
        "extension body beyond end, 90 00 0001 00000000 00000000 BEDE0002 00000000",
        "padding count zero, A0 00 0001 00000000 00000000 AA 00",
        "padding longer than payload, A0 00 0001 00000000 00000000 AA 03",
        "RTCP SR payload type, 80 C8 0001 00000000 00000000",
        "RTCP RR payload type, 80 C9 0001 00000000 00000000",
    })
    void rejectsMalformed(String name, String packet) {
        ByteBuf p = hex(packet);
        try {
            assertFalse(RtpHeader.isValid(p), name);
        } finally {
            p.release();
        }
    }

    @Test
    void paddingMayCoverWholePayload() {
        ByteBuf p = hex("A0 00 0001 00000000 00000000 0000 03");
        try {
            assertTrue(RtpHeader.isValid(p));
            assertEquals(0, RtpHeader.payloadLength(p));
        } finally {
            p.release();
        }
    }

    @Test
    void rejectsOversizedPacket() {
        ByteBuf p = Unpooled.buffer(RtpHeader.MAX_PACKET_LENGTH + 1);
        try {
            RtpHeader.writeHeader(p, 0, false, 1, 2, 3);
            p.writeZero(RtpHeader.MAX_PACKET_LENGTH - 12);
            assertTrue(RtpHeader.isValid(p));
            p.writeByte(0);
            assertFalse(RtpHeader.isValid(p));
        } finally {
            p.release();
        }
    }

    @Test
    void settersChangeOnlyTheirField() {
        ByteBuf p = Unpooled.buffer();
        try {
            RtpHeader.writeHeader(p, 0, false, 0xFFFF, 0xFFFFFFFFL, 0x12345678L);
            p.writeBytes(new byte[] {1, 2, 3});
            assertEquals("8000ffffffffffff1234567801 02 03".replace(" ", ""),
                HexFormat.of().formatHex(p.array(), 0, 15));

            RtpHeader.setMarker(p, true);
            RtpHeader.setPayloadType(p, 101);
            assertTrue(RtpHeader.marker(p));
            assertEquals(101, RtpHeader.payloadType(p));
            RtpHeader.setMarker(p, false);
            assertFalse(RtpHeader.marker(p));
            assertEquals(101, RtpHeader.payloadType(p));
            RtpHeader.setMarker(p, true);
            RtpHeader.setPayloadType(p, 8);
            assertTrue(RtpHeader.marker(p));

            RtpHeader.setSequence(p, 0x10001);
            RtpHeader.setTimestamp(p, 0x1_0000_0002L);
            RtpHeader.setSsrc(p, 0xFEDCBA98L);
            assertEquals(1, RtpHeader.sequence(p));
            assertEquals(2L, RtpHeader.timestamp(p));
            assertEquals(0xFEDCBA98L, RtpHeader.ssrc(p));
            assertEquals(2, RtpHeader.version(p));
            assertEquals(3, RtpHeader.payloadLength(p));
            assertTrue(RtpHeader.isValid(p));
        } finally {
            p.release();
        }
    }

    @Test
    void refusesPayloadTypeOutOfRange() {
        ByteBuf p = Unpooled.buffer();
        try {
            assertThrows(IllegalArgumentException.class, () -> RtpHeader.writeHeader(p, 128, false, 0, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> RtpHeader.writeHeader(p, -1, false, 0, 0, 0));
            assertEquals(0, p.writerIndex());
        } finally {
            p.release();
        }
    }

    /** pjsip's RTP fuzz seeds: each entry, and every suffix of it, is either valid or rejected, never thrown. */
    @Test
    void pjsipSeedCorpusIsClassifiedWithoutExceptions() throws IOException {
        Map<String, byte[]> entries = seedCorpus("fuzz-rtp_seed_corpus.zip");
        assertEquals(3, entries.size(), entries.keySet().toString());
        int validWhole = 0;
        int validSuffixes = 0;
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] data = e.getValue();
            if (RtpFuzzTarget.check(data)) {
                validWhole++;
            }
            for (int from = 1; from < data.length; from++) {
                if (RtpFuzzTarget.check(Arrays.copyOfRange(data, from, data.length))) {
                    validSuffixes++;
                }
            }
        }
        // The entries start with a 5-byte prefix (0x00/0x60 first byte: version 0/1), so whole entries are rejected;
        // the packets behind the prefixes are accepted.
        assertEquals(0, validWhole);
        assertTrue(validSuffixes >= 3, "valid suffixes: " + validSuffixes);

        ByteBuf embedded = Unpooled.wrappedBuffer(entries.get("jitter_outoforder.rtp"));
        try {
            embedded.skipBytes(5);
            assertTrue(RtpHeader.isValid(embedded));
            assertEquals(0, RtpHeader.payloadType(embedded));
            assertEquals(1, RtpHeader.sequence(embedded));
            assertEquals(160L, RtpHeader.timestamp(embedded));
            assertEquals(0xAABBCCDDL, RtpHeader.ssrc(embedded));
        } finally {
            embedded.release();
        }
    }

    static Map<String, byte[]> seedCorpus(String name) throws IOException {
        Path zip = Path.of(System.getProperty("warmline.shared"), "vectors", "pjsip-fuzz-seed", name);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isDirectory()) {
                    entries.put(e.getName(), in.readNBytes(RtpHeader.MAX_PACKET_LENGTH * 4));
                }
            }
        }
        return entries;
    }
}
