package io.warmline.dtmf.tone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.internal.Audio;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Speech must not produce digits: espeak-ng phrases in several voices, and the A-law speech capture. */
class TalkOffTest {

    @TempDir
    Path dir;

    static final String[] PHRASES = {
        "Thank you for calling. For sales, press one. For support, press two. To repeat this menu, press star.",
        "One two three four five six seven eight nine zero star pound.",
        "Please hold while we connect you to the next available agent. Your call is important to us.",
        "La la la la, do re mi fa so la ti do. Hmmmm. Eeeeeee. Oooooo. Beep beep.",
    };

    static final List<List<String>> VOICES = List.of(
            List.of("-v", "en"), List.of("-v", "en-us", "-p", "80", "-s", "140"),
            List.of("-v", "en+f3", "-p", "70"), List.of("-v", "en+m3", "-p", "20", "-s", "120"),
            List.of("-v", "de", "-p", "60"), List.of("-v", "fr+f2"));

    @Test
    void synthesisedSpeechGivesNoDigits() throws Exception {
        int phrases = 0;
        long seconds = 0;
        StringBuilder falseDigits = new StringBuilder();
        for (int v = 0; v < VOICES.size(); v++) {
            for (int p = 0; p < PHRASES.length; p++) {
                short[] speech = Audio.speak(dir, "s" + v + "_" + p, PHRASES[p], VOICES.get(v));
                normalise(speech, 0.7);
                List<DigitPress> presses = Audio.detect(speech);
                phrases++;
                seconds += speech.length / 8000;
                if (!presses.isEmpty()) {
                    falseDigits.append(VOICES.get(v)).append(" phrase ").append(p).append(": ").append(presses)
                            .append('\n');
                }
            }
        }
        assertTrue(seconds > 60, "speech material: " + seconds + " s");
        assertEquals("", falseDigits.toString(), phrases + " phrases, " + seconds + " s");
    }

    /**
     * Instrument-like chords (harmonic-rich waveforms) whose fundamentals sit on or near DTMF pairs: the harmonic
     * checks must reject them. Pure sine chords on DTMF pairs are DTMF and are not part of this material; nor are
     * triangle waves, whose third harmonic (-19 dB) is too weak to tell them from a tone pair (a known limit).
     */
    @Test
    void harmonicChordsNearDtmfPairsGiveNoDigits() throws Exception {
        List<List<String>> chords = List.of(List.of("F5", "D#6"), List.of("G5", "E6"), List.of("A5", "F#6"),
                List.of("A#5", "G#6"), List.of("A#5", "E6"), List.of("G5", "G#6"), List.of("C5", "E5", "G5"),
                List.of("F5", "A5", "C6"));
        StringBuilder falseDigits = new StringBuilder();
        int n = 0;
        for (String waveform : List.of("pluck", "square", "sawtooth", "trapezium")) {
            for (List<String> chord : chords) {
                List<DigitPress> presses = Audio.detect(Audio.chord(dir, "c" + n++, waveform, chord, 0.5));
                if (!presses.isEmpty()) {
                    falseDigits.append(waveform).append(' ').append(chord).append(": ").append(presses).append('\n');
                }
            }
        }
        assertEquals("", falseDigits.toString(), n + " chords");
    }

    @Test
    void alawSpeechCaptureGivesNoDigits() throws Exception {
        short[] speech = Audio.alawCapture(Path.of(System.getProperty("warmline.shared"), "vectors", "sipp-pcap",
                "g711a.pcap"));
        assertTrue(speech.length > 8000 * 5, "samples: " + speech.length);
        assertEquals(List.of(), Audio.detect(speech));
    }

    /** Scales to a peak of {@code peak} of full scale: loud speech is the harder case for the level checks. */
    static void normalise(short[] x, double peak) {
        int max = 1;
        for (short s : x) {
            max = Math.max(max, Math.abs(s));
        }
        double g = peak * 32767 / max;
        for (int i = 0; i < x.length; i++) {
            x[i] = (short) Math.round(x[i] * g);
        }
    }
}
