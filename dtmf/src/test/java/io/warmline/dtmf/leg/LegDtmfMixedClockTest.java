package io.warmline.dtmf.leg;

import static io.warmline.dtmf.leg.LegHarness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.rfc4733.TelephoneEventFormat;
import io.warmline.dtmf.rfc4733.TelephoneEventReceiver;
import io.warmline.dtmf.rfc4733.TelephoneEventSender;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.media.rtp.RtpHeader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A leg whose answer agreed on telephone-event at 48 kHz (beside Opus) and at 8 kHz (beside PCMU), in fake time: each
 * payload type is heard by its own receiver with its own clock, and keys go out in the type of the send codec.
 */
class LegDtmfMixedClockTest {

    private static final int EVENTS_48K = 101;
    private static final int EVENTS_8K = 102;
    private static final long FAR_SSRC = 0x55667788L;
    private static final List<TelephoneEventFormat> BOTH =
            List.of(new TelephoneEventFormat(EVENTS_48K, 48000), new TelephoneEventFormat(EVENTS_8K, 8000));

    private final List<DigitHeard> heard = new ArrayList<>();
    private long now;
    private int seq;

    private LegDtmf leg(int sendPt, int sendRate, List<TelephoneEventFormat> received) {
        return new LegDtmf("leg-m", LegDtmfSettings.STANDARD.withMode(DtmfMode.RFC4733), sendPt, sendRate, received,
                heard::add, null);
    }

    /** The far end presses {@code digit} through {@code sender} (one packet per 20 ms), then stays quiet a while. */
    private void press(LegDtmf leg, TelephoneEventSender sender, DtmfDigit digit, int millis, long timestamp,
            boolean dropEnds) {
        sender.start(digit, timestamp, millis, 10, now);
        for (int tick = 0; tick < 200 && sender.isActive(); tick++) {
            ByteBuf buf = Unpooled.buffer(TelephoneEventSender.PACKET_LENGTH);
            if (sender.poll(now, buf, seq++, FAR_SSRC)) {
                boolean end = (buf.getByte(RtpHeader.FIXED_HEADER_LENGTH + 1) & 0x80) != 0;
                if (dropEnds && end) {
                    buf.release();
                } else {
                    leg.onTelephoneEvent(buf, now);
                }
            } else {
                buf.release();
            }
            now += 20 * MS;
            leg.advance(now);
        }
        quiet(leg, 700);
    }

    private void quiet(LegDtmf leg, int millis) {
        for (int t = 0; t < millis; t += 20) {
            now += 20 * MS;
            leg.advance(now);
        }
    }

    @Test
    void eventsOfEachTypeAreTimedByTheirOwnClock() {
        LegDtmf leg = leg(EVENTS_48K, 48000, BOTH);
        press(leg, new TelephoneEventSender(EVENTS_8K, 8000, 20), DtmfDigit.D5, 160, 0x1000, false);
        press(leg, new TelephoneEventSender(EVENTS_48K, 48000, 20), DtmfDigit.D7, 100, 0x9000_0000L, false);
        press(leg, new TelephoneEventSender(EVENTS_8K, 8000, 20), DtmfDigit.POUND, 240, 0x4000, false);

        assertEquals(List.of(DtmfDigit.D5, DtmfDigit.D7, DtmfDigit.POUND),
                heard.stream().map(DigitHeard::digit).toList());
        // read at 48 kHz, the 8 kHz events would have lasted a sixth of this
        assertEquals(List.of(160, 100, 240), heard.stream().map(DigitHeard::durationMillis).toList());
        assertTrue(heard.stream().allMatch(d -> d.source() == DtmfMode.RFC4733 && d.endSeen()), heard.toString());
        assertEquals(0, leg.stats().malformedEvents());
    }

    @Test
    void aTimeOutOnOneTypeLeavesTheOtherAlone() {
        LegDtmf leg = leg(EVENTS_48K, 48000, BOTH);
        TelephoneEventSender at8k = new TelephoneEventSender(EVENTS_8K, 8000, 20);
        TelephoneEventSender at48k = new TelephoneEventSender(EVENTS_48K, 48000, 20);
        // the 8 kHz press loses its end packets; a 48 kHz press starts while it is still open
        at8k.start(DtmfDigit.D1, 0x2000, 200, 10, now);
        for (int tick = 0; tick < 5; tick++) {
            deliver(leg, at8k, true);
        }
        at48k.start(DtmfDigit.D2, 0x7000_0000L, 100, 10, now);
        for (int tick = 0; tick < 20; tick++) {
            deliver(leg, at48k, false);
        }
        quiet(leg, 1000);

        assertEquals(List.of(DtmfDigit.D2, DtmfDigit.D1), heard.stream().map(DigitHeard::digit).toList(),
                "the 48 kHz press ends first; the 8 kHz one is closed by its own receiver's time-out");
        DigitHeard timedOut = heard.get(1);
        assertFalse(timedOut.endSeen());
        assertEquals(100, timedOut.durationMillis(), "five updates, the last of 100 ms at 8 kHz, before the loss");
        assertEquals(100, heard.get(0).durationMillis());
    }

    /** One tick of {@code sender}. */
    private void deliver(LegDtmf leg, TelephoneEventSender sender, boolean loseEnds) {
        ByteBuf buf = Unpooled.buffer(TelephoneEventSender.PACKET_LENGTH);
        if (sender.poll(now, buf, seq++, FAR_SSRC)
                && !(loseEnds && (buf.getByte(RtpHeader.FIXED_HEADER_LENGTH + 1) & 0x80) != 0)) {
            leg.onTelephoneEvent(buf, now);
        } else {
            buf.release();
        }
        now += 20 * MS;
        leg.advance(now);
    }

    @Test
    void aTypeNotAgreedIsCountedAndNotHeard() {
        LegDtmf leg = leg(EVENTS_48K, 48000, BOTH);
        press(leg, new TelephoneEventSender(103, 8000, 20), DtmfDigit.D9, 100, 0x3000, false);
        assertEquals(List.of(), heard);
        assertTrue(leg.stats().malformedEvents() >= 5, "each packet counted: " + leg.stats());
    }

    @Test
    void aLegBuiltForOneTypeHearsOnlyThatType() {
        LegDtmf leg = new LegDtmf("leg-m", LegDtmfSettings.STANDARD.withMode(DtmfMode.RFC4733), EVENTS_48K, 48000,
                heard::add, null);
        press(leg, new TelephoneEventSender(EVENTS_8K, 8000, 20), DtmfDigit.D4, 100, 0x1000, false);
        press(leg, new TelephoneEventSender(EVENTS_48K, 48000, 20), DtmfDigit.D6, 100, 0x2000, false);
        assertEquals(List.of(DtmfDigit.D6), heard.stream().map(DigitHeard::digit).toList());
    }

    @Test
    void keysGoOutInTheTypeOfTheSendCodec() throws Exception {
        for (int[] send : new int[][] {{EVENTS_48K, 48000}, {EVENTS_8K, 8000}}) {
            LegDtmf leg = leg(send[0], send[1], BOTH);
            leg.run(DtmfSequence.parse("3 {duration=200ms}8"), "ivr", 0, 0);
            TelephoneEventReceiver decoder = new TelephoneEventReceiver(send[1], 1000);
            long t = 0;
            long audioTimestamp = 0;
            int packets = 0;
            for (int tick = 0; tick < 100; tick++, t += 20 * MS, audioTimestamp += send[1] / 50) {
                ByteBuf dst = Unpooled.buffer(64);
                try {
                    if (leg.inject(t, audioTimestamp, tick, 0x1111L, dst)) {
                        packets++;
                        assertEquals(send[0], RtpHeader.payloadType(dst));
                        decoder.onPacket(dst, t);
                    }
                } finally {
                    dst.release();
                }
            }
            List<DigitPress> presses = new ArrayList<>();
            for (DigitPress p = decoder.poll(); p != null; p = decoder.poll()) {
                presses.add(p);
            }
            assertTrue(packets > 0);
            assertEquals(List.of(DtmfDigit.D3, DtmfDigit.D8), presses.stream().map(DigitPress::digit).toList());
            assertEquals(List.of(100, 200), presses.stream().map(DigitPress::durationMillis).toList(),
                    "durations in the " + send[1] + " Hz clock of the send codec's type");
        }
    }
}
