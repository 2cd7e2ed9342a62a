package io.warmline.dtmf.rfc4733;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.internal.PcapReader;
import io.warmline.media.rtp.RtpHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SIPp telephone-event captures in {@code vectors/sipp-pcap}: each is one press of the key in its name. */
class CapturedEventsTest {

    static Stream<Path> captures() throws IOException {
        Path dir = Path.of(System.getProperty("warmline.shared"), "vectors", "sipp-pcap");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().matches("dtmf_2833_.*\\.pcap")).sorted().toList();
        }
        assertEquals(12, files.size(), "captures in " + dir);
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void eachCaptureIsOnePressOfItsKey(Path file) throws IOException {
        String key = file.getFileName().toString().replaceAll("dtmf_2833_(.*)\\.pcap", "$1");
        DtmfDigit expected = switch (key) {
            case "pound" -> DtmfDigit.POUND;
            case "star" -> DtmfDigit.STAR;
            default -> DtmfDigit.fromSymbol(key.charAt(0));
        };
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(8000, 1000);
        List<DigitPress> presses = new ArrayList<>();
        long last = 0;
        List<PcapReader.Datagram> datagrams = PcapReader.udpPayloads(file);
        assertTrue(datagrams.size() >= 4, "datagrams in " + file);
        long origin = datagrams.get(0).timeNanos();
        for (PcapReader.Datagram d : datagrams) {
            ByteBuf buf = Unpooled.wrappedBuffer(d.payload());
            try {
                assertTrue(RtpHeader.isValid(buf));
                assertEquals(101, RtpHeader.payloadType(buf));
                last = d.timeNanos() - origin;
                receiver.onPacket(buf, last);
            } finally {
                buf.release();
            }
            TelephoneEventReceiverTest.drain(receiver, presses);
        }
        receiver.onTimeout(last + 2_000_000_000L);
        TelephoneEventReceiverTest.drain(receiver, presses);
        assertEquals(1, presses.size(), "presses in " + file + ": " + presses);
        assertEquals(expected, presses.get(0).digit());
        assertTrue(presses.get(0).endSeen());
        assertEquals(280, presses.get(0).durationMillis());
        assertEquals(2, receiver.duplicates());
    }
}
