package io.warmline.media.play;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link WavReader}: any input parses to a clip it describes, or is refused with {@link WavFormatException};
 * nothing else escapes. A plain test run replays the saved inputs under
 * {@code src/test/resources/io/warmline/media/play/WavReaderFuzzTestInputs/} (sox-made files and a truncation);
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class WavReaderFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        try {
            WavAudio audio = WavReader.parse(data);
            int rate = audio.sampleRate();
            assertTrue(rate == 8000 || rate == 16000 || rate == 48000, "rate " + rate);
            assertTrue(audio.length() * audio.encoding().bytesPerSample() <= data.length - 44, "length");
        } catch (WavFormatException e) {
            assertTrue(e.getMessage().startsWith(e.problem().name()), e.getMessage());
        }
    }
}
