package io.warmline.bridge.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConversationIdsTest {
    @Test
    void acceptsTheSipHeaderCharset() {
        assertTrue(ConversationIds.isValid("c-1"));
        assertTrue(ConversationIds.isValid("A.b_c:d-0"));
        assertTrue(ConversationIds.isValid("x".repeat(128)));
        assertNull(ConversationIds.problem("3f2b6c1e-7d0a-4a51-9d59-2f1e0c8b7a66"));
    }

    @Test
    void refusesAndSaysWhy() {
        assertFalse(ConversationIds.isValid(""));
        assertFalse(ConversationIds.isValid(null));
        assertFalse(ConversationIds.isValid("x".repeat(129)));
        assertFalse(ConversationIds.isValid("a/b"));
        assertFalse(ConversationIds.isValid("a b"));
        assertFalse(ConversationIds.isValid("é"));
        assertFalse(ConversationIds.isValid(".."));
        assertTrue(ConversationIds.problem("").contains("empty"));
        assertTrue(ConversationIds.problem("x".repeat(200)).contains("200 characters"));
        assertTrue(ConversationIds.problem("a%2Fb").contains("only letters"));
    }
}
