package io.warmline.dtmf.leg;

import static io.warmline.dtmf.leg.LegHarness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.internal.Audio;
import io.warmline.dtmf.rfc4733.TelephoneEventSender;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.dtmf.tone.DtmfToneGenerator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The far end's keys, heard through the leg's hooks in fake time: a far-end simulator sends each key as RFC 4733
 * events (from its own sender), as a tone in its audio, or both, or as INFO.
 */
class LegDtmfHearTest {

    private static final long FAR_SSRC = 0x77777777L;

    /** The far end: per 20 ms tick an event packet (delivered at once) and an audio frame (delivered later). */
    private static final class FarEnd {
        final TelephoneEventSender sender = new TelephoneEventSender(101, 8000, 20);
        final DtmfToneGenerator tone = new DtmfToneGenerator();
        final LegDtmf leg;
        /** Audio reaches the detector after the jitter buffer: this many ticks late. */
        final int audioDelayTicks;
        final List<short[]> audioQueue = new ArrayList<>();
        boolean dropEnds;
        long now;
        long ts = 0xFFFFFF00L;
        int seq;
        DtmfDigit toneDigit;
        long toneIndex;
        long toneLeft;

        FarEnd(LegDtmf leg, int audioDelayTicks) {
            this.leg = leg;
            this.audioDelayTicks = audioDelayTicks;
        }

        void press(DtmfDigit digit, int millis, boolean events, boolean tones) {
            if (events) {
                sender.start(digit, ts, millis, 10, now);
            }
            if (tones) {
                toneDigit = digit;
                toneIndex = 0;
                toneLeft = millis * 8L;
            }
        }

        void tick() {
            ByteBuf buf = Unpooled.buffer(TelephoneEventSender.PACKET_LENGTH);
            boolean wrote = sender.poll(now, buf, seq, FAR_SSRC);
            if (wrote) {
                seq++;
                boolean end = (buf.getByte(13) & 0x80) != 0;
                if (dropEnds && end) {
                    buf.release();
                } else {
                    leg.onTelephoneEvent(buf, now);
                }
            } else {
                buf.release();
            }
            short[] frame = new short[160];
            if (toneDigit != null) {
                int n = (int) Math.min(160, toneLeft);
                tone.generate(toneDigit, frame, 0, n, toneIndex);
                toneIndex += n;
                toneLeft -= n;
                if (toneLeft == 0) {
                    toneDigit = null;
                }
            }
            Audio.addNoise(frame, -50, now);
            audioQueue.add(frame);
            if (audioQueue.size() > audioDelayTicks) {
                leg.onFrame(audioQueue.remove(0), 0, 160, now);
            }
            ts += 160;
            now += 20 * MS;
        }

        void run(long millis) {
            for (long t = 0; t < millis; t += 20) {
                tick();
            }
        }
    }

    private final List<DigitHeard> heard = new ArrayList<>();
    private final DtmfListener listener = heard::add;

    private LegDtmf leg(DtmfMode mode, boolean detectInband) {
        LegDtmfSettings s = new LegDtmfSettings(mode, LegDtmfSettings.STANDARD.defaults(), 10, detectInband,
                DialLimits.STANDARD);
        return new LegDtmf("leg-b", s, 101, 8000, listener, info -> { });
    }

    @Test
    void rfc4733PressIsReportedOnceWithItsDurationAndSource() {
        LegDtmf leg = leg(DtmfMode.RFC4733, true);
        FarEnd far = new FarEnd(leg, 3);
        far.run(100);
        far.press(DtmfDigit.D7, 160, true, false);
        far.run(1000);
        assertEquals(1, heard.size());
        DigitHeard d = heard.get(0);
        assertEquals(new DigitHeard("leg-b", DtmfDigit.D7, DtmfMode.RFC4733, 100 * MS, 160, true), d);
        assertEquals(0, leg.stats().duplicates());
    }

    @Test
    void pressSentAsEventsAndLeakedToneIsReportedOnce() {
        LegDtmf leg = leg(DtmfMode.RFC4733, true);
        FarEnd far = new FarEnd(leg, 4);
        String keys = "1559#";
        for (char c : keys.toCharArray()) {
            far.press(DtmfDigit.fromSymbol(c), 100, true, true);
            far.run(200);
        }
        far.run(500);
        assertEquals(keys, symbols());
        assertTrue(heard.stream().allMatch(d -> d.source() == DtmfMode.RFC4733), heard.toString());
        assertEquals(keys.length(), leg.stats().duplicates(), "each leaked tone absorbed once");
    }

    @Test
    void whenTheEndPacketsAreLostTheToneReportsFirstAndTheTimedOutEventIsAbsorbed() {
        LegDtmf leg = leg(DtmfMode.RFC4733, true);
        FarEnd far = new FarEnd(leg, 2);
        far.dropEnds = true;
        far.press(DtmfDigit.D3, 120, true, true);
        far.run(1500);
        assertEquals("3", symbols());
        assertEquals(DtmfMode.INBAND, heard.get(0).source());
        assertEquals(1, leg.stats().duplicates());
    }

    @Test
    void inBandOnlyPressesAreHeardInAnyMode() {
        LegDtmf leg = leg(DtmfMode.INFO, true);
        FarEnd far = new FarEnd(leg, 3);
        for (char c : "2580".toCharArray()) {
            far.press(DtmfDigit.fromSymbol(c), 80, false, true);
            far.run(200);
        }
        far.run(300);
        assertEquals("2580", symbols());
        assertTrue(heard.stream().allMatch(d -> d.source() == DtmfMode.INBAND));
    }

    @Test
    void detectionCanBeSwitchedOff() {
        LegDtmf leg = leg(DtmfMode.RFC4733, false);
        FarEnd far = new FarEnd(leg, 3);
        far.press(DtmfDigit.D2, 100, false, true);
        far.run(600);
        assertEquals("", symbols());
    }

    @Test
    void infoPressAndItsToneAreReportedOnce() {
        LegDtmf leg = leg(DtmfMode.INFO, true);
        FarEnd far = new FarEnd(leg, 3);
        far.run(100);
        leg.onInfo(new DtmfInfo(DtmfDigit.STAR, 100), far.now);
        far.press(DtmfDigit.STAR, 100, false, true);
        far.run(500);
        leg.onInfo(new DtmfInfo(DtmfDigit.STAR, 100), far.now);
        far.run(200);
        assertEquals("**", symbols(), "the later INFO is a new press");
        assertEquals(DtmfMode.INFO, heard.get(0).source());
        assertEquals(1, leg.stats().duplicates());
    }

    @Test
    void ownEventsLoopedBackAreDropped() throws Exception {
        LegHarness self = new LegHarness(DtmfMode.RFC4733, 101, 8000);
        self.dtmf.run(DtmfSequence.parse("1"), "ivr", 0, 0);
        self.runFor(300);
        for (byte[] p : self.packets) {
            self.dtmf.onTelephoneEvent(Unpooled.wrappedBuffer(p), self.now);
        }
        self.runFor(600);
        assertEquals("", self.heardSymbols());
        assertEquals(self.packets.size(), self.dtmf.stats().looped());
    }

    @Test
    void ownInBandToneEchoedBackIsDropped() throws Exception {
        LegHarness self = new LegHarness(DtmfMode.INBAND, -1, 8000);
        self.dtmf.run(DtmfSequence.parse("6"), "ivr", 0, 0);
        for (int i = 0; i < 40; i++) {
            long t = self.now;
            self.tick();
            short[] sent = self.frames.get(self.frames.size() - 1);
            self.dtmf.onFrame(sent, 0, sent.length, t + 60 * MS);
        }
        assertEquals("", self.heardSymbols());
        assertEquals(1, self.dtmf.stats().echoes());
    }

    @Test
    void telephoneEventsAreReleasedEvenWhenNotNegotiatedOrAfterClose() {
        LegDtmf leg = new LegDtmf("leg-c", LegDtmfSettings.STANDARD, -1, 8000, listener, null);
        ByteBuf b = Unpooled.buffer(16).writeZero(16);
        leg.onTelephoneEvent(b, 0);
        assertEquals(0, b.refCnt());
        LegDtmf other = leg(DtmfMode.RFC4733, true);
        other.close(0);
        ByteBuf c = Unpooled.buffer(16).writeZero(16);
        other.onTelephoneEvent(c, 0);
        assertEquals(0, c.refCnt());
        ByteBuf shortPacket = Unpooled.buffer(4).writeZero(4);
        LegDtmf third = leg(DtmfMode.RFC4733, true);
        third.onTelephoneEvent(shortPacket, 0);
        assertEquals(0, shortPacket.refCnt());
        assertEquals(1, third.stats().malformedEvents());
    }

    private String symbols() {
        StringBuilder sb = new StringBuilder();
        heard.forEach(d -> sb.append(d.digit().symbol()));
        return sb.toString();
    }
}
