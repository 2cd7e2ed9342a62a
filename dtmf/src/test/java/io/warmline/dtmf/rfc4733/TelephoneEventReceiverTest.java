package io.warmline.dtmf.rfc4733;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TelephoneEventReceiverTest {

    private static final long MS = 1_000_000L;

    /** Feeds hex packets 20 ms apart, then lets the timeout pass; returns every press reported. */
    static List<DigitPress> feed(TelephoneEventReceiver receiver, List<String> hexPackets) {
        List<DigitPress> out = new ArrayList<>();
        long now = 0;
        for (String hex : hexPackets) {
            ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
            try {
                receiver.onPacket(buf, now);
                assertEquals(0, buf.readerIndex());
            } finally {
                buf.release();
            }
            drain(receiver, out);
            now += 20 * MS;
        }
        now += 5000 * MS;
        receiver.onTimeout(now);
        drain(receiver, out);
        return out;
    }

    static void drain(TelephoneEventReceiver receiver, List<DigitPress> out) {
        for (DigitPress p = receiver.poll(); p != null; p = receiver.poll()) {
            out.add(p);
        }
    }

    static String pkt(boolean marker, int seq, long ts, int event, boolean end, int duration) {
        return String.format("80%02x%04x%08x%08x%02x%02x%04x", marker ? 0xE5 : 0x65, seq & 0xFFFF, ts & 0xFFFFFFFFL,
                0x1234, event, (end ? 0x80 : 0) | 10, duration);
    }

    /** Expected presses as "digit:millis:endSeen". */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("complete press, end sent three times",
                        List.of(pkt(true, 1, 800, 1, false, 160), pkt(false, 2, 800, 1, false, 320),
                                pkt(false, 3, 800, 1, true, 480), pkt(false, 4, 800, 1, true, 480),
                                pkt(false, 5, 800, 1, true, 480)),
                        List.of("1:60:true")),
                Arguments.of("end copies with the same sequence number",
                        List.of(pkt(true, 1, 800, 2, false, 160), pkt(false, 2, 800, 2, true, 320),
                                pkt(false, 2, 800, 2, true, 320), pkt(false, 2, 800, 2, true, 320)),
                        List.of("2:40:true")),
                Arguments.of("start packet lost",
                        List.of(pkt(false, 2, 800, 3, false, 320), pkt(false, 3, 800, 3, true, 480),
                                pkt(false, 4, 800, 3, true, 480)),
                        List.of("3:60:true")),
                Arguments.of("only one end copy survives",
                        List.of(pkt(false, 5, 800, 4, true, 800)),
                        List.of("4:100:true")),
                Arguments.of("all end packets lost: closed by timeout",
                        List.of(pkt(true, 1, 800, 5, false, 160), pkt(false, 2, 800, 5, false, 320)),
                        List.of("5:40:false")),
                Arguments.of("two presses of the same key",
                        List.of(pkt(true, 1, 800, 6, false, 160), pkt(false, 2, 800, 6, true, 320),
                                pkt(false, 3, 800, 6, true, 320), pkt(true, 4, 2400, 6, false, 160),
                                pkt(false, 5, 2400, 6, true, 400), pkt(false, 6, 2400, 6, true, 400)),
                        List.of("6:40:true", "6:50:true")),
                Arguments.of("next event supersedes one whose end was lost",
                        List.of(pkt(true, 1, 800, 7, false, 160), pkt(true, 2, 1600, 8, false, 160),
                                pkt(false, 3, 1600, 8, true, 320)),
                        List.of("7:20:false", "8:40:true")),
                Arguments.of("late copy of an earlier event after the next one started",
                        List.of(pkt(true, 1, 800, 9, true, 160), pkt(true, 2, 1600, 10, false, 160),
                                pkt(false, 3, 800, 9, true, 160), pkt(false, 4, 1600, 10, true, 320)),
                        List.of("9:20:true", "*:40:true")),
                Arguments.of("timestamp and sequence wrap inside one event",
                        List.of(pkt(true, 0xFFFE, 0xFFFFFF60L, 11, false, 160),
                                pkt(false, 0xFFFF, 0xFFFFFF60L, 11, false, 320),
                                pkt(false, 0, 0xFFFFFF60L, 11, true, 480), pkt(false, 1, 0xFFFFFF60L, 11, true, 480),
                                pkt(true, 2, 0x00000500L, 12, true, 160), pkt(false, 3, 0x00000500L, 12, true, 160)),
                        List.of("#:60:true", "A:20:true")),
                Arguments.of("reordered update after the end is a duplicate",
                        List.of(pkt(true, 1, 800, 13, false, 160), pkt(false, 3, 800, 13, true, 480),
                                pkt(false, 2, 800, 13, false, 320)),
                        List.of("B:60:true")),
                Arguments.of("long press in two segments (8 kHz, 0xFFFF then 800)",
                        List.of(pkt(true, 1, 1000, 14, false, 160), pkt(false, 2, 1000, 14, false, 0xFFFF),
                                pkt(false, 3, 1000, 14, false, 0xFFFF), pkt(false, 4, 1000 + 0xFFFF, 14, false, 160),
                                pkt(false, 5, 1000, 14, false, 0xFFFF), pkt(false, 6, 1000 + 0xFFFF, 14, true, 800),
                                pkt(false, 7, 1000 + 0xFFFF, 14, true, 800)),
                        List.of("C:8291:true")),
                Arguments.of("flash (event 16) and a runt packet are ignored",
                        List.of(pkt(true, 1, 800, 16, true, 160), "80650001000003200000123401"),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsEachPressOnce(String name, List<String> packets, List<String> expected) {
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(8000, 1000);
        List<String> got = feed(receiver, packets).stream()
                .map(p -> p.digit().symbol() + ":" + p.durationMillis() + ":" + p.endSeen()).toList();
        assertEquals(expected, got);
    }

    @Test
    void countsWhatItDrops() {
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(8000, 1000);
        feed(receiver, List.of(pkt(true, 1, 800, 1, true, 160), pkt(false, 2, 800, 1, true, 160),
                pkt(false, 3, 800, 16, true, 160), "8065"));
        assertEquals(4, receiver.packets());
        assertEquals(1, receiver.duplicates());
        assertEquals(1, receiver.nonDtmf());
        assertEquals(1, receiver.malformed());
        assertEquals(0, receiver.timedOut());
    }

    @Test
    void timeoutDeadlineFollowsTheLastPacket() {
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(8000, 500);
        assertEquals(Long.MAX_VALUE, receiver.nextDeadlineNanos());
        receiver.onEvent(1, 100, 5, false, 160, 10 * MS);
        receiver.onEvent(1, 100, 5, false, 320, 30 * MS);
        assertEquals(530 * MS, receiver.nextDeadlineNanos());
        receiver.onTimeout(529 * MS);
        assertNull(receiver.poll());
        receiver.onTimeout(530 * MS);
        DigitPress press = receiver.poll();
        assertEquals(new DigitPress(DtmfDigit.D5, 10 * MS, 40, false), press);
        assertEquals(1, receiver.timedOut());
        // A late end packet of the closed press does not report it again.
        receiver.onEvent(1, 100, 5, true, 480, 600 * MS);
        assertNull(receiver.poll());
    }

    @Test
    void senderToReceiverRoundTripAt48kHzWithSegments() {
        TelephoneEventSender sender = new TelephoneEventSender(101, 48000, 20);
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(48000, 1000);
        List<DigitPress> got = new ArrayList<>();
        long ts = 0xFFFF0000L;
        long now = 0;
        int seq = 0xFFF0;
        ByteBuf buf = Unpooled.buffer(TelephoneEventSender.PACKET_LENGTH);
        try {
            for (DtmfDigit digit : DtmfDigit.values()) {
                int millis = digit == DtmfDigit.D9 ? 3000 : 80;
                sender.start(digit, ts, millis, 10, now);
                while (sender.isActive()) {
                    now = sender.nextDeadlineNanos();
                    buf.clear();
                    while (sender.poll(now, buf, seq & 0xFFFF, 42)) {
                        seq++;
                        receiver.onPacket(buf, now);
                        drain(receiver, got);
                        buf.clear();
                    }
                }
                now += 100 * MS;
                ts += (long) (millis + 200) * 48;
            }
        } finally {
            buf.release();
        }
        receiver.onTimeout(now + 5000 * MS);
        drain(receiver, got);
        assertEquals(16, got.size());
        for (int i = 0; i < 16; i++) {
            DigitPress press = got.get(i);
            assertEquals(DtmfDigit.values()[i], press.digit());
            assertTrue(press.endSeen());
            assertEquals(press.digit() == DtmfDigit.D9 ? 3000 : 80, press.durationMillis());
        }
        assertFalse(receiver.duplicates() == 0, "redundant end packets must have been dropped");
    }
}
