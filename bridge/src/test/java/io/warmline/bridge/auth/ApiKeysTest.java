package io.warmline.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.config.Secret;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private static ApiKeys keys() {
        Map<String, Secret> m = new LinkedHashMap<>();
        m.put("crm", Secret.of("k-crm-0123456789abcdef"));
        m.put("bot", Secret.of("k-bot-fedcba9876543210"));
        return ApiKeys.of(m);
    }

    @Test
    void eachKeyAuthenticatesAsItsName() {
        assertEquals(Optional.of("crm"), keys().authenticate("k-crm-0123456789abcdef"));
        assertEquals(Optional.of("bot"), keys().authenticate("k-bot-fedcba9876543210"));
    }

    @Test
    void wrongMissingOrOversizedKeysAreRefused() {
        ApiKeys k = keys();
        assertTrue(k.authenticate("k-crm-0123456789abcdeF").isEmpty());
        assertTrue(k.authenticate("k-crm-0123456789abcde").isEmpty());
        assertTrue(k.authenticate("").isEmpty());
        assertTrue(k.authenticate(null).isEmpty());
        assertTrue(k.authenticate("x".repeat(ApiKeys.MAX_KEY_LENGTH + 1)).isEmpty());
    }

    @Test
    void noKeysConfiguredAuthenticatesNobody() {
        ApiKeys none = ApiKeys.of(Map.of());
        assertTrue(none.isEmpty());
        assertTrue(none.authenticate("anything").isEmpty());
    }

    @Test
    void toStringNamesKeysButNeverShowsThem() {
        String s = keys().toString();
        assertTrue(s.contains("crm") && s.contains("bot"));
        assertFalse(s.contains("0123456789"));
    }
}
