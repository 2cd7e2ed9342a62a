package io.warmline.dtmf.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The sequence parser on arbitrary text: it returns 1..256 steps or throws {@link DtmfSequenceException} whose
 * position lies inside the text (or just past its end). A plain test run replays the seeds in
 * {@code DtmfSequenceFuzzTestInputs/parse}; to fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl dtmf test -Dtest=DtmfSequenceFuzzTest -Djazzer.hooks=true}.
 */
class DtmfSequenceFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void parse(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            DtmfSequence sequence = DtmfSequence.parse(text);
            assertFalse(sequence.steps().isEmpty());
            assertTrue(sequence.steps().size() <= DtmfSequence.MAX_STEPS);
            assertEquals(sequence, DtmfSequence.parse(text));
        } catch (DtmfSequenceException e) {
            assertTrue(e.position() >= 1 && e.position() <= text.length() + 1, e.getMessage());
            assertEquals(-1, e.item());
        }
    }
}
