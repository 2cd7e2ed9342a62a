package io.warmline.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiConfigTest {
    private static final Function<String, String> ENV = Map.of(
            "CRM_KEY", "crm-key-0123456789abcdef",
            "BOT_KEY", "bot-key-0123456789abcdef",
            "SHORT_KEY", "short",
            "TOKEN_SECRET", "0123456789abcdef0123456789abcdef",
            "SHORT_SECRET", "0123456789")::get;

    @TempDir
    Path dir;

    private WarmlineConfig load(String yaml) throws Exception {
        Path f = dir.resolve("c.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return ConfigLoader.load(f, ENV).config();
    }

    private ConfigException failing(String yaml) throws IOException {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return assertThrows(ConfigException.class, () -> ConfigLoader.load(f, ENV));
    }

    private static void assertError(ConfigException e, int line, String path, String part) {
        for (ConfigError err : e.errors()) {
            if (err.line() == line && err.path().equals(path) && err.message().contains(part)) {
                return;
            }
        }
        throw new AssertionError("no error at line " + line + " " + path + " with '" + part + "' in:\n"
                + e.getMessage());
    }

    @Test
    void absentSectionGivesNoKeysAndDefaults() throws Exception {
        assertEquals(ApiConfig.DEFAULTS, ConfigLoader.defaults().api());
        assertEquals(ApiConfig.DEFAULTS, load("http: { listen: 127.0.0.1:8081 }\n").api());
        assertEquals(Duration.ofMinutes(5), ApiConfig.DEFAULTS.tokenTtl());
        assertNull(ApiConfig.DEFAULTS.tokenSecret());
    }

    @Test
    void bindsKeysTokensOriginsAndLimits() throws Exception {
        ApiConfig api = load("""
                api:
                  keys:
                    crm: { key-env: CRM_KEY }
                    bot: { key-env: BOT_KEY }
                  token-ttl: 2m
                  token-secret-env: TOKEN_SECRET
                  widget-origins: [ "https://www.example.com", "http://127.0.0.1:8080", "http://[::1]:9000" ]
                  max-voice-legs: 3
                """).api();
        assertEquals(List.of("crm", "bot"), List.copyOf(api.keys().keySet()));
        assertEquals("crm-key-0123456789abcdef", api.keys().get("crm").reveal());
        assertEquals(Duration.ofMinutes(2), api.tokenTtl());
        assertEquals(Secret.of("0123456789abcdef0123456789abcdef"), api.tokenSecret());
        assertEquals(List.of("https://www.example.com", "http://127.0.0.1:8080", "http://[::1]:9000"),
                api.widgetOrigins());
        assertEquals(3, api.maxVoiceLegs());
    }

    @Test
    void everyMistakeIsReportedWithoutEchoingSecrets() throws Exception {
        ConfigException e = failing("""
                api:
                  keys:
                    crm: { key-env: NOT_SET }
                    short: { key-env: SHORT_KEY }
                    Bad_Name: { key-env: CRM_KEY }
                    nokey: { }
                  token-ttl: 1s
                  token-secret-env: SHORT_SECRET
                  widget-origins: [ "https://example.com/", "*", "HTTPS://X.COM" ]
                  max-voice-legs: 0
                  extra: 1
                """);
        assertError(e, 3, "api.keys.crm.key-env", "NOT_SET is not set");
        assertError(e, 4, "api.keys.short.key-env", "16..512 characters");
        assertError(e, 5, "api.keys.Bad_Name", "a name must be");
        assertError(e, 6, "api.keys.nokey.key-env", "missing");
        assertError(e, 7, "api.token-ttl", "must be 10s..24h");
        assertError(e, 8, "api.token-secret-env", "at least 32 bytes");
        assertError(e, 9, "api.widget-origins[0]", "expected an origin");
        assertError(e, 9, "api.widget-origins[1]", "expected an origin");
        assertError(e, 9, "api.widget-origins[2]", "expected an origin");
        assertError(e, 10, "api.max-voice-legs", "must be 1..16");
        assertError(e, 11, "api.extra", "");
        assertFalse(e.getMessage().contains("0123456789"), e.getMessage());
        assertFalse(e.getMessage().contains("short\""), e.getMessage());
    }

    @Test
    void oneKeyValueUnderTwoNamesIsAnError() throws Exception {
        ConfigException e = failing("""
                api:
                  keys:
                    a: { key-env: CRM_KEY }
                    b: { key-env: CRM_KEY }
                """);
        assertError(e, 4, "api.keys.b", "under two names");
    }
}
