package io.warmline.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BearerTest {
    @Test
    void readsTheCredentialWhateverTheSchemeCase() {
        assertEquals("abc.DEF-_~+/==", Bearer.credential("Bearer abc.DEF-_~+/=="));
        assertEquals("abc", Bearer.credential("bearer abc"));
        assertEquals("abc", Bearer.credential("  BEARER   abc "));
    }

    @Test
    void refusesOtherSchemesAndBadCharacters() {
        assertNull(Bearer.credential(null));
        assertNull(Bearer.credential("Basic dXNlcjpwYXNz"));
        assertNull(Bearer.credential("Bearer"));
        assertNull(Bearer.credential("Bearer "));
        assertNull(Bearer.credential("Bearer a b"));
        assertNull(Bearer.credential("Bearer a\"b"));
        assertNull(Bearer.credential("Bearer " + "a".repeat(Bearer.MAX_HEADER_LENGTH)));
    }
}
