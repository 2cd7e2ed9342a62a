package io.warmline.dtmf.rfc4733;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warmline.dtmf.DtmfDigit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TelephoneEventSenderTest {

    private static final long MS = 1_000_000L;

    /** Sent packet: the time it went out and its bytes. */
    record Sent(long atNanos, String hex) {
    }

    static List<Sent> run(TelephoneEventSender sender, int firstSequence, long ssrc, long stepNanos, long untilNanos) {
        List<Sent> out = new ArrayList<>();
        int seq = firstSequence;
        ByteBuf buf = Unpooled.buffer(TelephoneEventSender.PACKET_LENGTH);
        try {
            for (long now = 0; now <= untilNanos; now += stepNanos) {
                while (sender.nextDeadlineNanos() <= now) {
                    buf.clear();
                    assertTrue(sender.poll(now, buf, seq & 0xFFFF, ssrc));
                    seq++;
                    out.add(new Sent(now, ByteBufUtil.hexDump(buf)));
                }
                buf.clear();
                assertFalse(sender.poll(now, buf, seq, ssrc), "nothing more due at " + now);
            }
        } finally {
            buf.release();
        }
        return out;
    }

    @Test
    void digitOneAt8kHzMatchesHexVectors() {
        TelephoneEventSender sender = new TelephoneEventSender(101, 8000, 20);
        sender.start(DtmfDigit.D1, 0x33E0, 100, 10, 0);
        List<Sent> sent = run(sender, 0x1F30, 0x0E05384EL, MS, 300 * MS);
        List<Sent> expected = List.of(
                new Sent(0, "80e51f30000033e00e05384e010a00a0"),
                new Sent(20 * MS, "80651f31000033e00e05384e010a0140"),
                new Sent(40 * MS, "80651f32000033e00e05384e010a01e0"),
                new Sent(60 * MS, "80651f33000033e00e05384e010a0280"),
                new Sent(80 * MS, "80651f34000033e00e05384e018a0320"),
                new Sent(100 * MS, "80651f35000033e00e05384e018a0320"),
                new Sent(120 * MS, "80651f36000033e00e05384e018a0320"));
        assertEquals(expected, sent);
        assertFalse(sender.isActive());
        assertEquals(Long.MAX_VALUE, sender.nextDeadlineNanos());
    }

    @Test
    void poundAt48kHzWithTimestampWrap() {
        TelephoneEventSender sender = new TelephoneEventSender(110, 48000, 20);
        sender.start(DtmfDigit.POUND, 0xFFFFFF00L, 60, 0, 5 * MS);
        List<Sent> sent = run(sender, 0xFFFF, 1, MS, 200 * MS);
        List<Sent> expected = List.of(
                new Sent(5 * MS, "80eeffffffffff00000000010b0003c0"),
                new Sent(25 * MS, "806e0000ffffff00000000010b000780"),
                new Sent(45 * MS, "806e0001ffffff00000000010b800b40"),
                new Sent(65 * MS, "806e0002ffffff00000000010b800b40"),
                new Sent(85 * MS, "806e0003ffffff00000000010b800b40"));
        assertEquals(expected, sent);
    }

    @Test
    void longEventAt48kHzIsSegmented() {
        // 2 s at 48 kHz is 96000 units: one full segment of 0xFFFF, then 30465 more (RFC 4733 §2.5.1.3).
        TelephoneEventSender sender = new TelephoneEventSender(101, 48000, 20);
        sender.start(DtmfDigit.D5, 1000, 2000, 10, 0);
        List<Sent> sent = run(sender, 0, 7, MS, 3000 * MS);
        List<String> payloads = sent.stream().map(s -> s.hex().substring(24)).toList();
        List<Long> timestamps = sent.stream().map(s -> Long.parseLong(s.hex().substring(8, 16), 16)).toList();
        // The segment's final packet (duration 0xFFFF, no E bit) is sent three times.
        assertEquals(3, payloads.stream().filter("050affff"::equals).count());
        // The event's final packet: E bit, 96000 - 65535 = 30465 = 0x7701, three times.
        assertEquals(3, payloads.stream().filter("058a7701"::equals).count());
        assertEquals(Set.of(1000L, 1000L + 0xFFFF), Set.copyOf(timestamps));
        // Only the very first packet has the marker bit; the second segment starts without it.
        assertEquals(1, sent.stream().filter(s -> s.hex().startsWith("80e5")).count());
        assertEquals("80e5", sent.get(0).hex().substring(0, 4));
        // Durations within each segment never decrease.
        int last = -1;
        long lastTs = -1;
        for (int i = 0; i < sent.size(); i++) {
            int duration = Integer.parseInt(payloads.get(i).substring(4), 16);
            if (timestamps.get(i) == lastTs) {
                assertTrue(duration >= last, "duration went back at packet " + i);
            }
            last = duration;
            lastTs = timestamps.get(i);
        }
        // 100 updates of 960 units end at 96000: 100 update packets plus two copies of each final packet.
        assertEquals(104, sent.size());
    }

    @Test
    void refusesBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new TelephoneEventSender(128, 8000, 20));
        assertThrows(IllegalArgumentException.class, () -> new TelephoneEventSender(101, 44100, 20));
        assertThrows(IllegalArgumentException.class, () -> new TelephoneEventSender(101, 8000, 5));
        TelephoneEventSender sender = new TelephoneEventSender(101, 8000, 20);
        assertThrows(IllegalArgumentException.class, () -> sender.start(DtmfDigit.D1, 0, 5, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> sender.start(DtmfDigit.D1, 0, 100, 64, 0));
        sender.start(DtmfDigit.D1, 0, 100, 10, 0);
        assertThrows(IllegalStateException.class, () -> sender.start(DtmfDigit.D2, 0, 100, 10, 0));
    }
}
