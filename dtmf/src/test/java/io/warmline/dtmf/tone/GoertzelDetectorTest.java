package io.warmline.dtmf.tone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.internal.Audio;
import io.warmline.media.codec.G711;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoertzelDetectorTest {

    /** All sixteen keys, each {@code onMs} on and {@code offMs} off, low group at {@code dbm0}, high 2 dB above. */
    static short[] keypad(double dbm0, int onMs, int offMs) {
        DtmfToneGenerator generator = new DtmfToneGenerator(8000, dbm0, dbm0 + 2);
        int on = onMs * 8;
        int off = offMs * 8;
        short[] out = new short[off + 16 * (on + off)];
        int at = off;
        for (DtmfDigit d : DtmfDigit.values()) {
            generator.generate(d, out, at, on, 0);
            at += on + off;
        }
        return out;
    }

    static String symbols(List<DigitPress> presses) {
        StringBuilder sb = new StringBuilder();
        presses.forEach(p -> sb.append(p.digit().symbol()));
        return sb.toString();
    }

    static final String ALL = "0123456789*#ABCD";

    @ParameterizedTest(name = "{0} dBm0 per tone, noise at {1} dBm0")
    @CsvSource({"-10, -30", "-15, -35", "-20, -40", "-25, -45", "-25, -40"})
    void detectsEveryKeyInNoise(double dbm0, double noiseDbm0) {
        short[] signal = keypad(dbm0, 60, 60);
        Audio.addNoise(signal, noiseDbm0, (long) (dbm0 * 100 + noiseDbm0));
        List<DigitPress> presses = Audio.detect(signal);
        assertEquals(ALL, symbols(presses));
        for (DigitPress p : presses) {
            assertTrue(p.durationMillis() >= 30 && p.durationMillis() <= 90, p.toString());
        }
    }

    @ParameterizedTest(name = "{0} dBm0 through G.711")
    @ValueSource(doubles = {-6, -10, -25, -30})
    void detectsEveryKeyThroughG711(double dbm0) {
        short[] signal = keypad(dbm0, 60, 60);
        Audio.addNoise(signal, dbm0 - 20, 7);
        byte[] alaw = new byte[signal.length];
        byte[] ulaw = new byte[signal.length];
        G711.encodeAlaw(signal, 0, signal.length, alaw, 0);
        G711.encodeUlaw(signal, 0, signal.length, ulaw, 0);
        short[] a = new short[signal.length];
        short[] u = new short[signal.length];
        G711.decodeAlaw(alaw, 0, alaw.length, a, 0);
        G711.decodeUlaw(ulaw, 0, ulaw.length, u, 0);
        assertEquals(ALL, symbols(Audio.detect(a)), "A-law");
        assertEquals(ALL, symbols(Audio.detect(u)), "u-law");
    }

    @ParameterizedTest(name = "both tones off by {0} %")
    @ValueSource(doubles = {-1.5, 1.5})
    void acceptsTonesWithinOneAndAHalfPercent(double percent) {
        assertEquals(ALL, symbols(Audio.detect(shifted(percent, percent, 80))));
        assertEquals(ALL, symbols(Audio.detect(shifted(percent, 0, 80))));
        assertEquals(ALL, symbols(Audio.detect(shifted(0, percent, 80))));
    }

    @ParameterizedTest(name = "tones off by {0} %")
    @ValueSource(doubles = {-3.5, 3.5, -5, 5})
    void rejectsTonesBeyondThreeAndAHalfPercent(double percent) {
        assertEquals("", symbols(Audio.detect(shifted(percent, percent, 80))));
        assertEquals("", symbols(Audio.detect(shifted(percent, 0, 80))));
        assertEquals("", symbols(Audio.detect(shifted(0, percent, 80))));
    }

    /** The keypad at -10 dBm0 with every low tone moved by {@code lowPercent} and every high by {@code highPercent}. */
    static short[] shifted(double lowPercent, double highPercent, int onMs) {
        double amp = DtmfToneGenerator.ZERO_DBM0_PEAK * Math.pow(10, -10 / 20.0);
        double ampHigh = amp * Math.pow(10, 2 / 20.0);
        int on = onMs * 8;
        int off = 800;
        short[] out = new short[off + 16 * (on + off)];
        int at = off;
        for (DtmfDigit d : DtmfDigit.values()) {
            double fl = d.lowHz() * (1 + lowPercent / 100);
            double fh = d.highHz() * (1 + highPercent / 100);
            for (int n = 0; n < on; n++) {
                out[at + n] = (short) Math.round(amp * Math.sin(2 * Math.PI * fl * n / 8000)
                        + ampHigh * Math.sin(2 * Math.PI * fh * n / 8000));
            }
            at += on + off;
        }
        return out;
    }

    @Test
    void twistLimits() {
        assertEquals(ALL, symbols(Audio.detect(twisted(-10, -16))), "high 6 dB below low");
        assertEquals(ALL, symbols(Audio.detect(twisted(-14, -10))), "high 4 dB above low");
        assertEquals("", symbols(Audio.detect(twisted(-10, -20))), "high 10 dB below low");
        assertEquals("", symbols(Audio.detect(twisted(-20, -12))), "high 8 dB above low");
    }

    static short[] twisted(double lowDbm0, double highDbm0) {
        DtmfToneGenerator generator = new DtmfToneGenerator(8000, lowDbm0, highDbm0);
        short[] out = new short[400 + 16 * 1200];
        for (int i = 0; i < 16; i++) {
            generator.generate(DtmfDigit.values()[i], out, 400 + i * 1200, 640, 0);
        }
        return out;
    }

    @Test
    void tooQuietIsNotADigit() {
        assertEquals("", symbols(Audio.detect(keypad(-36, 80, 80))));
    }

    @Test
    void minimumDuration() {
        assertEquals(ALL, symbols(Audio.detect(keypad(-10, 40, 60))), "40 ms tones");
        assertEquals("", symbols(Audio.detect(keypad(-10, 20, 60))), "20 ms tones");
        assertEquals("", symbols(Audio.detect(keypad(-10, 15, 60))), "15 ms tones");
    }

    @Test
    void shortBreakIsBridgedAndAPauseSeparates() {
        DtmfToneGenerator generator = new DtmfToneGenerator();
        short[] broken = new short[8000];
        generator.generate(DtmfDigit.D5, broken, 800, 480, 0);
        generator.generate(DtmfDigit.D5, broken, 800 + 480 + 80, 480, 560);
        List<DigitPress> one = Audio.detect(broken);
        assertEquals("5", symbols(one), "a 10 ms break inside one press");
        assertTrue(one.get(0).durationMillis() >= 110, one.toString());

        short[] twice = new short[8000];
        generator.generate(DtmfDigit.D5, twice, 800, 480, 0);
        generator.generate(DtmfDigit.D5, twice, 800 + 480 + 400, 480, 0);
        assertEquals("55", symbols(Audio.detect(twice)), "two presses 50 ms apart");
    }

    @Test
    void backToBackDigitsAreBothReported() {
        DtmfToneGenerator generator = new DtmfToneGenerator();
        short[] signal = new short[8000];
        generator.generate(DtmfDigit.D1, signal, 800, 800, 0);
        generator.generate(DtmfDigit.D9, signal, 1600, 800, 0);
        assertEquals("19", symbols(Audio.detect(signal)));
    }

    @Test
    void startTimeAndDurationFollowTheTone() {
        DtmfToneGenerator generator = new DtmfToneGenerator();
        short[] signal = new short[16000];
        generator.generate(DtmfDigit.POUND, signal, 4000, 1600, 0);
        List<DigitPress> presses = Audio.detect(signal);
        assertEquals(1, presses.size());
        long startMs = presses.get(0).startNanos() / 1_000_000L;
        assertTrue(Math.abs(startMs - 500) <= 20, "start " + startMs + " ms");
        assertTrue(Math.abs(presses.get(0).durationMillis() - 200) <= 20, presses.toString());
    }

    @Test
    void framesOfAnyLengthGiveTheSameResult() {
        short[] signal = keypad(-20, 60, 60);
        List<DigitPress> reference = Audio.detect(signal);
        GoertzelDetector detector = new GoertzelDetector();
        List<DigitPress> odd = new ArrayList<>();
        int at = 0;
        int[] sizes = {1, 37, 160, 240, 7};
        for (int i = 0; at < signal.length; i++) {
            int n = Math.min(sizes[i % sizes.length], signal.length - at);
            detector.process(signal, at, n, at * 125_000L);
            at += n;
            for (DigitPress p = detector.poll(); p != null; p = detector.poll()) {
                odd.add(p);
            }
        }
        detector.process(new short[1600], 0, 1600, at * 125_000L);
        for (DigitPress p = detector.poll(); p != null; p = detector.poll()) {
            odd.add(p);
        }
        assertEquals(reference, odd);
    }
}
