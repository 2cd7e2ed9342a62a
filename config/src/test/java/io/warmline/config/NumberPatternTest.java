package io.warmline.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NumberPatternTest {

    @Test
    void exactPatternMatchesOnlyItself() {
        NumberPattern p = new NumberPattern("+15551230000");
        assertTrue(p.matches("+15551230000"));
        assertFalse(p.matches("15551230000"));
        assertFalse(p.matches("+155512300001"));
        assertFalse(p.matches(null));
        assertFalse(p.isPrefix());
    }

    @Test
    void trailingStarIsAPrefix() {
        NumberPattern p = new NumberPattern("+1555123*");
        assertTrue(p.matches("+1555123"));
        assertTrue(p.matches("+15551239999"));
        assertFalse(p.matches("+1555124"));
        assertTrue(new NumberPattern("*").matches("anything"));
        assertTrue(new NumberPattern("+*").matches("+49"));
        assertFalse(new NumberPattern("+*").matches("49"));
    }

    @Test
    void coverage() {
        assertTrue(new NumberPattern("1000*").covers(new NumberPattern("10001")));
        assertTrue(new NumberPattern("1000*").covers(new NumberPattern("10005*")));
        assertTrue(new NumberPattern("1000*").covers(new NumberPattern("1000*")));
        assertFalse(new NumberPattern("1000*").covers(new NumberPattern("100*")));
        assertFalse(new NumberPattern("1000").covers(new NumberPattern("1000*")));
        assertTrue(new NumberPattern("1000").covers(new NumberPattern("1000")));
        assertTrue(new NumberPattern("*").covers(new NumberPattern("+1*")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "+", "12*3", "**", "1 2", "abc", "+-1", "1+", "123456789012345678901234567890123"})
    void refusesMalformedPatterns(String s) {
        assertThrows(IllegalArgumentException.class, () -> new NumberPattern(s));
    }
}
