package io.warmline.dtmf.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.internal.Audio;
import io.warmline.dtmf.ivr.ExecutorOutput.Done;
import io.warmline.dtmf.ivr.ExecutorOutput.Outcome;
import io.warmline.dtmf.ivr.ExecutorOutput.SendDigit;
import io.warmline.dtmf.rfc4733.TelephoneEventReceiver;
import io.warmline.dtmf.rfc4733.TelephoneEventSender;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.dtmf.tone.DtmfToneGenerator;
import io.warmline.dtmf.tone.GoertzelDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sequence run by the executor, sent by one core and heard by another, stepped through fake time in 20 ms ticks. */
class NavigationEndToEndTest {

    private static final long MS = 1_000_000L;
    private static final String SEQUENCE = "1 w 2 {duration=200ms,gap=60ms}3 W #";

    @Test
    void telephoneEventsOverALossyPath() throws Exception {
        SequenceExecutor executor = new SequenceExecutor(DtmfSequence.parse(SEQUENCE));
        TelephoneEventSender sender = new TelephoneEventSender(101, 48000, 20);
        TelephoneEventReceiver receiver = new TelephoneEventReceiver(48000, 1000);
        List<SendDigit> sent = new ArrayList<>();
        List<DigitPress> heard = new ArrayList<>();
        Outcome outcome = null;
        int sequence = 0xFFF0;
        int packet = 0;
        ByteBuf buf = Unpooled.buffer(TelephoneEventSender.PACKET_LENGTH);
        try {
            executor.start(40 * MS, 0);
            for (long now = 0; now <= 6000 * MS; now += 20 * MS) {
                executor.advance(now);
                for (ExecutorOutput o = executor.poll(); o != null; o = executor.poll()) {
                    if (o instanceof SendDigit d) {
                        sent.add(d);
                        // RTP clock 48 kHz, starting just below the wrap.
                        long ts = 0xFFFF0000L + d.atNanos() / MS * 48;
                        sender.start(d.digit(), ts, (int) d.tone().toMillis(), 10, now);
                    } else if (o instanceof Done done) {
                        outcome = done.outcome();
                    }
                }
                buf.clear();
                while (sender.poll(now, buf, sequence & 0xFFFF, 0x5EED)) {
                    sequence++;
                    // Every fifth packet is lost, start packets included.
                    if (packet++ % 5 != 0) {
                        receiver.onPacket(buf, now + 30 * MS);
                    }
                    buf.clear();
                }
                receiver.onTimeout(now);
                for (DigitPress p = receiver.poll(); p != null; p = receiver.poll()) {
                    heard.add(p);
                }
            }
        } finally {
            buf.release();
        }
        assertEquals(Outcome.DONE, outcome);
        assertEquals(List.of(40L, 740L, 940L, 2200L), sent.stream().map(d -> d.atNanos() / MS).toList());
        assertEquals("123#", symbols(heard));
        assertEquals(List.of(100, 100, 200, 100), heard.stream().map(DigitPress::durationMillis).toList());
    }

    @Test
    void inBandTonesHeardByTheDetector() throws Exception {
        SequenceExecutor executor = new SequenceExecutor(DtmfSequence.parse(SEQUENCE));
        DtmfToneGenerator generator = new DtmfToneGenerator();
        GoertzelDetector detector = new GoertzelDetector();
        List<SendDigit> sent = new ArrayList<>();
        List<DigitPress> heard = new ArrayList<>();
        short[] frame = new short[160];
        SendDigit playing = null;
        executor.start(40 * MS, 0);
        for (long now = 0; now <= 6000 * MS; now += 20 * MS) {
            executor.advance(now);
            for (ExecutorOutput o = executor.poll(); o != null; o = executor.poll()) {
                if (o instanceof SendDigit d) {
                    sent.add(d);
                    playing = d;
                }
            }
            java.util.Arrays.fill(frame, (short) 0);
            if (playing != null) {
                long offset = (now - playing.atNanos()) / 125_000L;
                long toneSamples = playing.tone().toMillis() * 8;
                int n = (int) Math.max(0, Math.min(160, toneSamples - offset));
                if (n > 0) {
                    generator.generate(playing.digit(), frame, 0, n, offset);
                }
            }
            Audio.addNoise(frame, -45, now);
            detector.process(frame, 0, 160, now);
            for (DigitPress p = detector.poll(); p != null; p = detector.poll()) {
                heard.add(p);
            }
        }
        assertEquals("123#", symbols(heard));
        for (int i = 0; i < 4; i++) {
            long error = Math.abs(heard.get(i).startNanos() - sent.get(i).atNanos()) / MS;
            assertTrue(error <= 20, "digit " + i + " heard " + error + " ms off");
            long expected = sent.get(i).tone().toMillis();
            assertTrue(Math.abs(heard.get(i).durationMillis() - expected) <= 25, heard.get(i).toString());
        }
    }

    static String symbols(List<DigitPress> presses) {
        StringBuilder sb = new StringBuilder();
        for (DigitPress p : presses) {
            sb.append(p.digit().symbol());
        }
        return sb.toString();
    }
}
