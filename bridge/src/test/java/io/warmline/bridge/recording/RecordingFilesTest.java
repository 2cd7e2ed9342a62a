package io.warmline.bridge.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RecordingFilesTest {
    private static final Path DIR = Path.of("/var/rec");
    private static final Instant START = Instant.parse("2026-11-21T16:10:03.123Z");
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private final RecordingFiles files = new RecordingFiles(DIR);

    @Test
    void oneDirectoryPerUtcDayAndTheConversationStartAndPartInTheName() {
        Path f = files.file("conv-42", START, "mix");
        assertEquals(DIR.resolve("2026-11-21/conv-42_20261121T161003.123Z_mix.wav"), f);
        assertEquals("2026-11-21/conv-42_20261121T161003.123Z_mix.wav", files.relative(f));
        assertEquals(DIR.resolve("2026-11-21/conv-42_20261121T161003.123Z_caller.wav"),
                files.file("conv-42", START, "caller"));
    }

    @Test
    void idsFromOutsideNeverLeaveTheDaysDirectory() {
        List<String> hostile = List.of("../../etc/passwd", "..", ".", "a/b", "a\\b", ".hidden", "x\u0000y",
                "/abs", "conv:with:colons", "é", "", "a".repeat(500), "CON", "a b");
        for (String id : hostile) {
            Path f = files.file(id, START, id);
            assertEquals(DIR.resolve("2026-11-21"), f.getParent(), id);
            String name = f.getFileName().toString();
            assertTrue(SAFE.matcher(name).matches(), name);
            assertTrue(name.length() <= RecordingFiles.MAX_CONVERSATION + RecordingFiles.MAX_PART + 30, name);
        }
    }

    @Test
    void aChangedIdGetsAHashSoThatDistinctIdsNeverShareAName() {
        String a = RecordingFiles.component("conv:1", 64);
        String b = RecordingFiles.component("conv/1", 64);
        String c = RecordingFiles.component("conv_1", 64);
        assertTrue(a.startsWith("conv_1-") && b.startsWith("conv_1-"), a + " " + b);
        assertNotEquals(a, b);
        assertEquals("conv_1", c, "a safe id is kept as it is");
        String longA = RecordingFiles.component("x".repeat(100) + "a", 64);
        String longB = RecordingFiles.component("x".repeat(100) + "b", 64);
        assertEquals(64, longA.length());
        assertNotEquals(longA, longB);
        assertTrue(RecordingFiles.component(".hidden", 64).startsWith("_hidden-"));
        assertTrue(RecordingFiles.component("", 64).matches("-[0-9a-f]{8}"));
    }
}
