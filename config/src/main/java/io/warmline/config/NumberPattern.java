package io.warmline.config;

import java.util.Objects;

/**
 * A dialled-number pattern: an exact number ({@code +15551230000}, {@code 1000}) or a prefix ending in
 * {@code *} ({@code +1555123*}); a lone {@code *} matches every number. Digits with an optional leading
 * {@code +}, at most 32 of them.
 */
public record NumberPattern(String pattern) {

    private static final int MAX_DIGITS = 32;

    public NumberPattern {
        Objects.requireNonNull(pattern, "pattern");
        String body = pattern.endsWith("*") ? pattern.substring(0, pattern.length() - 1) : pattern;
        String digits = body.startsWith("+") ? body.substring(1) : body;
        boolean prefix = body.length() != pattern.length();
        boolean ok = digits.length() <= MAX_DIGITS
                && (prefix || !digits.isEmpty())
                && digits.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!ok) {
            throw new IllegalArgumentException(
                    "expected a number of up to 32 digits with an optional leading '+' and an optional trailing '*'"
                            + " (prefix), e.g. +15551230000 or +1555123*");
        }
    }

    public boolean isPrefix() {
        return pattern.endsWith("*");
    }

    public boolean matches(String number) {
        if (number == null) {
            return false;
        }
        return isPrefix() ? number.startsWith(pattern.substring(0, pattern.length() - 1)) : number.equals(pattern);
    }

    /** True when every number this pattern's {@code other} matches is also matched by this one. */
    public boolean covers(NumberPattern other) {
        if (!isPrefix()) {
            return pattern.equals(other.pattern);
        }
        String literal = other.isPrefix() ? other.pattern.substring(0, other.pattern.length() - 1) : other.pattern;
        return literal.startsWith(pattern.substring(0, pattern.length() - 1));
    }

    @Override
    public String toString() {
        return pattern;
    }
}
