package io.warmline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingConfigTest {
    private static final Function<String, String> ENV = name -> null;
    private static final String TRUNK = """
            trunks:
              carrier: { outbound: { address: 192.0.2.1 }%s }
            targets:
              support: { trunk: carrier, number: "2000"%s }
            """;

    @TempDir
    Path dir;

    private WarmlineConfig load(String yaml) throws IOException, ConfigException {
        Path file = dir.resolve("warmline.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return ConfigLoader.load(file, ENV).config();
    }

    private ConfigException failing(String yaml) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(file, ENV));
    }

    private static void assertError(ConfigException e, int line, String path, String messagePart) {
        for (ConfigError err : e.errors()) {
            if (err.line() == line && err.path().equals(path) && err.message().contains(messagePart)) {
                return;
            }
        }
        throw new AssertionError("no error at line " + line + " " + path + " containing '" + messagePart + "' in:\n"
                + e.getMessage());
    }

    @Test
    void offByDefaultEverywhere() throws Exception {
        WarmlineConfig c = load(TRUNK.formatted("", ""));
        assertFalse(c.recording().enabled());
        assertFalse(c.trunks().get("carrier").record());
        assertFalse(c.targets().get("support").record());
        assertFalse(ConfigLoader.defaults().recording().enabled());
    }

    @Test
    void bindsTheSectionAndThePerTargetAndPerTrunkSwitches() throws Exception {
        WarmlineConfig c = load("""
                recording:
                  directory: recordings/calls
                  mode: both
                  format: wav
                  max-call-minutes: 90
                  min-free-mb: 2048
                  queue-seconds: 64
                """ + TRUNK.formatted(", record: true", ", record: true"));
        RecordingConfig r = c.recording();
        assertEquals(dir.resolve("recordings/calls").toAbsolutePath().normalize(), r.directory(),
                "relative to the config file's directory");
        assertEquals(RecordingMode.BOTH, r.mode());
        assertEquals(Duration.ofMinutes(90), r.maxDuration());
        assertEquals(2048L << 20, r.minFreeBytes());
        assertEquals(64, r.maxQueuedSeconds());
        assertTrue(c.trunks().get("carrier").record());
        assertTrue(c.targets().get("support").record());
        assertFalse(Files.exists(r.directory()), "validation creates nothing");
    }

    @Test
    void theTrunkSwitchStandsAlone() throws Exception {
        WarmlineConfig c = load("recording: { directory: " + dir + " }\n" + TRUNK.formatted(", record: true", ""));
        assertTrue(c.trunks().get("carrier").record());
        assertFalse(c.targets().get("support").record(), "a trunk's switch does not set its targets'");
        assertTrue(c.recording().enabled());
        WarmlineConfig off = load("recording: { directory: " + dir + " }\n" + TRUNK.formatted(", record: false", ""));
        assertFalse(off.trunks().get("carrier").record());
    }

    @Test
    void defaultsOfTheSection() throws Exception {
        RecordingConfig r = load("recording: { directory: " + dir + " }\n").recording();
        assertEquals(dir.toAbsolutePath().normalize(), r.directory());
        assertEquals(RecordingMode.MIX, r.mode());
        assertEquals(Duration.ofHours(4), r.maxDuration());
        assertEquals(512L << 20, r.minFreeBytes());
    }

    @Test
    void recordWithoutTheSectionIsAnErrorAtTheSwitch() throws Exception {
        ConfigException e = failing(TRUNK.formatted(", record: true", ", record: yes-please"));
        assertError(e, 2, "trunks.carrier.record", "needs the recording section");
        assertError(e, 4, "targets.support.record", "expected true or false");
    }

    @Test
    void everyMistakeOfTheSectionIsReportedWithItsLine() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        ConfigException e = failing("""
                recording:
                  directory: %s
                  mode: stereo
                  format: mp3
                  max-call-minutes: 0
                  min-free-mb: -1
                  colour: red
                """.formatted(file));
        assertError(e, 2, "recording.directory", "is not a writable directory");
        assertError(e, 3, "recording.mode", "mix");
        assertError(e, 4, "recording.format", "wav");
        assertError(e, 5, "recording.max-call-minutes", "");
        assertError(e, 6, "recording.min-free-mb", "");
        assertError(e, 7, "recording.colour", "");
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        ConfigException e = failing("recording: { directory: " + file.resolve("sub/dir") + " }\n");
        assertError(e, 1, "recording.directory", "cannot be created");
        ConfigException missing = failing("recording: { mode: mix }\n");
        assertError(missing, 1, "recording.directory", "");
    }

    @Test
    void modesHaveTheirApiSpelling() {
        for (RecordingMode m : RecordingMode.values()) {
            assertEquals(m, RecordingMode.ofKey(m.key()));
        }
        assertEquals(null, RecordingMode.ofKey("MIX"));
        assertTrue(RecordingMode.BOTH.mix() && RecordingMode.BOTH.participants());
        assertFalse(RecordingMode.MIX.participants() || RecordingMode.PARTICIPANTS.mix());
    }
}
