package io.warmline.dtmf.leg;

import static io.warmline.dtmf.leg.LegHarness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.info.DtmfInfoCodec;
import io.warmline.dtmf.internal.Audio;
import io.warmline.dtmf.ivr.ExecutorOutput.Outcome;
import io.warmline.dtmf.rfc4733.TelephoneEventReceiver;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.media.rtp.RtpHeader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each mode sends what it should; what is sent is decoded by the module's own receivers and detector. */
class LegDtmfSendTest {

    @ParameterizedTest
    @ValueSource(ints = {8000, 48000})
    void rfc4733EventsDecodeToTheKeysWithOneTimestampAndThreeEndPackets(int rate) throws Exception {
        LegHarness leg = new LegHarness(DtmfMode.RFC4733, 101, rate);
        assertEquals(DtmfMode.RFC4733, leg.dtmf.sendMode());
        DialHandle handle = leg.dtmf.run(DtmfSequence.parse("1 {duration=200ms}# 9"), "ivr", 40 * MS, 0);
        leg.runFor(1500);

        DialResult result = handle.result().getNow(null);
        assertEquals(new DialResult(Outcome.DONE, 3, result.atNanos()), result);
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(rate, 1000);
        Map<Long, List<byte[]>> byTimestamp = new LinkedHashMap<>();
        for (byte[] p : leg.packets) {
            ByteBuf b = Unpooled.wrappedBuffer(p);
            assertEquals(101, RtpHeader.payloadType(b));
            assertEquals(LegHarness.SSRC, RtpHeader.ssrc(b));
            byTimestamp.computeIfAbsent(RtpHeader.timestamp(b), t -> new ArrayList<>()).add(p);
            receiver.onPacket(b, 0);
        }
        List<DigitPress> presses = new ArrayList<>();
        for (DigitPress p = receiver.poll(); p != null; p = receiver.poll()) {
            presses.add(p);
        }
        assertEquals("1#9", symbols(presses));
        assertEquals(List.of(100, 200, 100), presses.stream().map(DigitPress::durationMillis).toList());
        assertEquals(3, byTimestamp.size(), "one timestamp per event");
        for (List<byte[]> event : byTimestamp.values()) {
            ByteBuf first = Unpooled.wrappedBuffer(event.get(0));
            assertTrue(RtpHeader.marker(first), "marker on the first packet");
            int ends = 0;
            for (int i = 0; i < event.size(); i++) {
                ByteBuf b = Unpooled.wrappedBuffer(event.get(i));
                if (i > 0) {
                    assertFalse(RtpHeader.marker(b));
                }
                if ((b.getByte(RtpHeader.payloadOffset(b) + 1) & 0x80) != 0) {
                    ends++;
                }
            }
            assertEquals(3, ends, "end packet three times");
        }
        // The event's timestamp is the audio timestamp of the tick it started in; sequence numbers run on.
        int firstIndex = leg.frames.indexOf(null);
        long expectedTs = (0xFFFFF000L + (long) firstIndex * rate / 50) & 0xFFFFFFFFL;
        assertEquals(expectedTs, byTimestamp.keySet().iterator().next());
        assertEquals(40 * MS, leg.packetTimes.get(0));
        // 100 ms key at 20 ms: five updates and two more copies of the end: 7 ticks without audio.
        assertEquals(7 + 12 + 7, leg.packets.size());
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 48000})
    void inBandTonesAreHeardByTheDetectorAndTheGapIsMuted(int rate) throws Exception {
        LegHarness leg = new LegHarness(DtmfMode.INBAND, -1, rate);
        leg.mixLevel = 3000;
        leg.dtmf.run(DtmfSequence.parse("1 5 {duration=200ms,gap=200ms}9 #"), "ivr", 100 * MS, 0);
        leg.runFor(1500);
        assertTrue(leg.packets.isEmpty());
        short[] audio = leg.audio8k();
        List<DigitPress> heard = Audio.detect(audio);
        assertEquals("159#", symbols(heard));
        assertEquals(100 * MS, heard.get(0).startNanos(), 20 * MS);
        assertEquals(200, heard.get(2).durationMillis(), 25);
        // Between keys the leg's own audio is muted (the far end needs a real pause between tones).
        int gapSample = (int) ((100 + 100 + 50) * 8);
        assertEquals(0, audio[gapSample]);
        // After the sequence the mix flows again.
        assertEquals(3000, audio[audio.length - 1]);
    }

    @Test
    void inBandLevelsFollowQ23() throws Exception {
        LegHarness leg = new LegHarness(DtmfMode.INBAND, -1, 8000);
        leg.dtmf.run(DtmfSequence.parse("{duration=400ms}5"), "ivr", 0, 0);
        leg.runFor(400);
        short[] audio = leg.audio8k();
        double power = 0;
        for (int i = 0; i < 3200; i++) {
            power += (double) audio[i] * audio[i];
        }
        power /= 3200;
        // -10 dBm0 low tone plus -8 dBm0 high tone.
        double expected = Audio.zeroDbm0Power() * (Math.pow(10, -1.0) + Math.pow(10, -0.8));
        assertEquals(0, 10 * Math.log10(power / expected), 0.1);
    }

    @Test
    void infoHandsEachKeyToTheSipLayer() throws Exception {
        LegHarness leg = new LegHarness(DtmfMode.INFO, 101, 8000);
        assertEquals(DtmfMode.INFO, leg.dtmf.sendMode());
        leg.dtmf.run(DtmfSequence.parse("4 {duration=250ms}* D"), "api", 0, 0);
        leg.runFor(1000);
        assertEquals(List.of(new DtmfInfo(io.warmline.dtmf.DtmfDigit.D4, 100),
                new DtmfInfo(io.warmline.dtmf.DtmfDigit.STAR, 250), new DtmfInfo(io.warmline.dtmf.DtmfDigit.D, 100)),
                leg.infos);
        assertTrue(leg.packets.isEmpty(), "no events in info mode");
        assertTrue(leg.frames.stream().allMatch(f -> f != null && f[0] == 0 && f[f.length - 1] == 0));
        for (DtmfInfo info : leg.infos) {
            assertEquals(info, DtmfInfoCodec.parse(DtmfInfoCodec.DTMF_RELAY,
                    DtmfInfoCodec.writeRelay(info).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
    }

    @Test
    void autoPicksEventsWhenNegotiatedElseTones() throws Exception {
        LegHarness withEvents = new LegHarness(DtmfMode.AUTO, 101, 8000);
        assertEquals(DtmfMode.RFC4733, withEvents.dtmf.sendMode());
        LegHarness without = new LegHarness(DtmfMode.AUTO, -1, 8000);
        assertEquals(DtmfMode.INBAND, without.dtmf.sendMode());
        without.dtmf.run(DtmfSequence.parse("7"), "ivr", 0, 0);
        without.runFor(300);
        assertEquals("7", symbols(Audio.detect(without.audio8k())));
        assertTrue(without.packets.isEmpty());
    }

    @Test
    void aModeThatCannotSendRefusesClearly() {
        LegHarness rfc = new LegHarness(DtmfMode.RFC4733, -1, 8000);
        assertNull(rfc.dtmf.sendMode());
        DialRejectedException e = assertThrows(DialRejectedException.class,
                () -> rfc.dtmf.run(DtmfSequence.parse("1"), "ivr", 0, 0));
        assertEquals(DialRejectedException.Reason.MODE_UNAVAILABLE, e.reason());
        assertEquals(409, e.httpStatus());
        assertTrue(e.getMessage().contains("telephone-event"), e.getMessage());

        LegHarness info = new LegHarness(LegDtmfSettings.STANDARD.withMode(DtmfMode.INFO), 101, 8000, false);
        assertThrows(DialRejectedException.class, () -> info.dtmf.run(DtmfSequence.parse("1"), "ivr", 0, 0));
    }

    @Test
    void sequencesRunOneAfterAnotherInOrder() throws Exception {
        LegHarness leg = new LegHarness(DtmfMode.RFC4733, 101, 8000);
        DialHandle ivr = leg.dtmf.run(DtmfSequence.parse("1 2"), "ivr", 0, 0);
        DialHandle api = leg.dtmf.run(DtmfSequence.parse("3"), "api", 0, 0);
        leg.runFor(1000);
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(8000, 1000);
        leg.packets.forEach(p -> receiver.onPacket(Unpooled.wrappedBuffer(p), 0));
        List<DigitPress> presses = new ArrayList<>();
        for (DigitPress p = receiver.poll(); p != null; p = receiver.poll()) {
            presses.add(p);
        }
        assertEquals("123", symbols(presses));
        assertEquals(Outcome.DONE, ivr.result().getNow(null).outcome());
        assertEquals(1, api.result().getNow(null).digitsSent());
        assertTrue(api.id() > ivr.id());
    }

    @Test
    void promptAwareWaitFollowsTheFarEndsSpeech() throws Exception {
        LegHarness leg = new LegHarness(DtmfMode.INFO, -1, 8000);
        leg.dtmf.run(DtmfSequence.parse("p{silence=800ms} 1"), "ivr", 0, 0);
        leg.runFor(200);
        leg.dtmf.onSpeechStarted(leg.now);
        leg.runFor(2000);
        assertTrue(leg.infos.isEmpty(), "no key while the prompt plays");
        long speechEnd = leg.now;
        leg.runFor(500);
        leg.dtmf.onSpeechEnded(speechEnd, leg.now);
        leg.runFor(280);
        assertTrue(leg.infos.isEmpty());
        leg.runFor(40);
        assertEquals(1, leg.infos.size(), "key sent 800 ms after the prompt ended");
    }

    private static String symbols(List<DigitPress> presses) {
        StringBuilder sb = new StringBuilder();
        presses.forEach(p -> sb.append(p.digit().symbol()));
        return sb.toString();
    }
}
