package io.warmline.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * The loader on arbitrary bytes: it returns a config or throws {@link ConfigException}, nothing else. The normal
 * test run replays the seeds in {@code ConfigLoaderFuzzTestInputs/loadArbitraryBytes}. To fuzz:
 * {@code JAZZER_FUZZ=1 mvn -pl config test -Dtest=ConfigLoaderFuzzTest -Djazzer.hooks=true} (the module turns
 * Jazzer's hooks off for plain replay, where they only cost start-up time).
 */
class ConfigLoaderFuzzTest {

    private static final Function<String, String> ENV = Map.of("CARRIER_A_PASSWORD", "pw")::get;

    @FuzzTest(maxDuration = "60s")
    void loadArbitraryBytes(byte[] data) {
        try {
            LoadedConfig loaded = ConfigLoader.load("fuzz.yaml", data, Path.of("/nonexistent-dir"), ENV);
            assertNotNull(loaded.config());
        } catch (ConfigException e) {
            assertNotNull(e.errors());
            for (ConfigError err : e.errors()) {
                if (err.line() < 1 || err.column() < 1) {
                    throw new AssertionError("error without a location: " + err);
                }
            }
        }
    }
}
