package io.warmline.dtmf.tone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.internal.Audio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The detection figures quoted in docs/dtmf.md: every key at -10 to -25 dBm0 per tone (high group 2 dB up) in white
 * noise 15 and 20 dB below the low tone, five noise seeds each. Writes a summary to target/dtmf-figures.txt.
 */
class DetectionFiguresTest {

    @Test
    void keypadInNoise() throws IOException {
        StringBuilder report = new StringBuilder("level_dbm0 snr_db presses hits misses false\n");
        int totalMisses = 0;
        int totalFalse = 0;
        for (int level = -10; level >= -25; level -= 5) {
            for (int snr : new int[] {20, 15}) {
                int hits = 0;
                int misses = 0;
                int falseDigits = 0;
                for (int seed = 0; seed < 5; seed++) {
                    short[] signal = GoertzelDetectorTest.keypad(level, 60, 60);
                    Audio.addNoise(signal, level - snr, 1000L * level + 10L * snr + seed);
                    List<DigitPress> presses = Audio.detect(signal);
                    int[] result = score(presses);
                    hits += result[0];
                    misses += result[1];
                    falseDigits += result[2];
                }
                report.append(level).append(' ').append(snr).append(' ').append(80).append(' ').append(hits)
                        .append(' ').append(misses).append(' ').append(falseDigits).append('\n');
                totalMisses += misses;
                totalFalse += falseDigits;
            }
        }
        Path out = Path.of("target", "dtmf-figures.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
        assertEquals(0, totalMisses, report.toString());
        assertEquals(0, totalFalse, report.toString());
    }

    /** Hits, misses and false digits of one keypad run (the sixteen keys in order). */
    static int[] score(List<DigitPress> presses) {
        DtmfDigit[] expected = DtmfDigit.values();
        int hits = 0;
        int e = 0;
        int falseDigits = 0;
        for (DigitPress p : presses) {
            int at = e;
            while (at < expected.length && expected[at] != p.digit()) {
                at++;
            }
            if (at == expected.length) {
                falseDigits++;
            } else {
                hits++;
                e = at + 1;
            }
        }
        return new int[] {hits, expected.length - hits, falseDigits};
    }
}
