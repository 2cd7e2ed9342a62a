package io.warmline.dtmf.tone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.internal.Audio;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The energy gate before the Goertzel bank: quiet audio skips the bank, keys at the minimum level still pass. */
class GoertzelGateTest {

    private final GoertzelDetector detector = new GoertzelDetector();

    private List<DigitPress> run(short[] pcm) {
        List<DigitPress> out = new ArrayList<>();
        for (int at = 0; at + 160 <= pcm.length; at += 160) {
            detector.process(pcm, at, 160, at * 125_000L);
            for (DigitPress p = detector.poll(); p != null; p = detector.poll()) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void silenceRunsNoGoertzelFilter() {
        assertEquals(List.of(), run(new short[16000]));
        assertEquals(200, detector.analyses());
        assertEquals(0, detector.bankRuns());
    }

    @Test
    void lineNoiseWellBelowTheMinimumRunsNoGoertzelFilter() {
        short[] noise = new short[16000];
        Audio.addNoise(noise, -50, 11);
        assertEquals(List.of(), run(noise));
        assertEquals(0, detector.bankRuns());
    }

    @Test
    void keysAtTheMinimumLevelPassTheGate() {
        // Both tones at -31 dBm0, 1 dB above the detector's -32 dBm0 floor, over quiet line noise.
        DtmfToneGenerator generator = new DtmfToneGenerator(8000, -31, -31);
        short[] signal = new short[800 + 16 * 1200];
        for (int i = 0; i < 16; i++) {
            generator.generate(DtmfDigit.values()[i], signal, 800 + i * 1200, 480, 0);
        }
        Audio.addNoise(signal, -55, 5);
        short[] padded = new short[signal.length + 1600];
        System.arraycopy(signal, 0, padded, 0, signal.length);
        List<DigitPress> presses = run(padded);
        StringBuilder symbols = new StringBuilder();
        presses.forEach(p -> symbols.append(p.digit().symbol()));
        assertEquals(GoertzelDetectorTest.ALL, symbols.toString());
        // 60 ms of tone in every 150 ms: the pauses between keys skip the bank once the tone has left the window.
        assertTrue(detector.bankRuns() > 16 * 5, "bank runs " + detector.bankRuns());
        assertTrue(detector.bankRuns() < detector.analyses() * 3 / 4,
                detector.bankRuns() + " bank runs of " + detector.analyses());
    }

    @Test
    void keysBelowTheMinimumLevelAreStillRejected() {
        DtmfToneGenerator generator = new DtmfToneGenerator(8000, -34, -34);
        short[] signal = new short[16 * 1200 + 1600];
        for (int i = 0; i < 16; i++) {
            generator.generate(DtmfDigit.values()[i], signal, i * 1200, 480, 0);
        }
        assertEquals(List.of(), run(signal));
    }
}
