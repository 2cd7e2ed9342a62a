package io.warmline.bridge.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.config.RecordingConfig;
import io.warmline.config.RecordingMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
    @TempDir
    Path dir;

    private static RecordingConfig config(Path directory) {
        return new RecordingConfig(directory, RecordingMode.BOTH, Duration.ofMinutes(5), 0, 16);
    }

    @Test
    void startCreatesTheDirectoryAndLeavesNothingBehind() throws Exception {
        Path target = dir.resolve("a/b/recordings");
        try (Recorder r = Recorder.start(config(target), Clock.systemUTC())) {
            assertTrue(r.enabled());
            assertEquals(RecordingMode.BOTH, r.defaultMode());
            assertTrue(Files.isDirectory(target));
            try (var files = Files.list(target)) {
                assertEquals(0, files.count(), "the write probe is deleted");
            }
        }
    }

    @Test
    void aDirectoryThatCannotBeMadeStopsTheStartWithItsName() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        IOException e = assertThrows(IOException.class,
                () -> Recorder.start(config(file.resolve("recordings")), Clock.systemUTC()));
        assertTrue(e.getMessage().startsWith("recording.directory " + file.resolve("recordings")), e.getMessage());
    }

    @Test
    void noSectionMeansDisabled() throws Exception {
        Recorder r = Recorder.start(RecordingConfig.NONE, Clock.systemUTC());
        assertSame(Recorder.disabled(), r);
        assertFalse(r.enabled());
        assertEquals(0, r.stats().filesOpened());
    }
}
