package io.warmline.dtmf.sequence;

import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.sequence.SequenceStep.PromptFallback;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Recursive-descent parser for the grammar in {@link DtmfSequence}; one use per string. */
final class SequenceParser {

    private static final Duration HALF_SECOND = Duration.ofMillis(500);
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final String text;
    private final int item;
    private final SequenceDefaults defaults;
    private final List<SequenceStep> out;
    private int at;

    SequenceParser(String text, int item, SequenceDefaults defaults, List<SequenceStep> out) {
        this.text = text;
        this.item = item;
        this.defaults = defaults;
        this.out = out;
    }

    void parse() throws DtmfSequenceException {
        if (text.length() > DtmfSequence.MAX_LENGTH) {
            throw error(DtmfSequence.MAX_LENGTH, "longer than " + DtmfSequence.MAX_LENGTH + " characters");
        }
        int before = out.size();
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == ' ' || c == '\t') {
                at++;
                continue;
            }
            int start = at;
            SequenceStep step;
            if (c == 'w') {
                at++;
                step = new SequenceStep.Pause(HALF_SECOND);
            } else if (c == 'W') {
                at++;
                step = new SequenceStep.Pause(SECOND);
            } else if (c == 'p') {
                at++;
                step = prompt();
            } else if (c == '{') {
                step = pressWithOptions();
            } else {
                step = new SequenceStep.Press(key(), defaults.tone(), defaults.gap());
            }
            if (out.size() == DtmfSequence.MAX_STEPS) {
                throw error(start, "more than " + DtmfSequence.MAX_STEPS + " steps");
            }
            out.add(step);
        }
        if (out.size() == before) {
            throw error(at, "no steps");
        }
    }

    private DtmfDigit key() throws DtmfSequenceException {
        if (at == text.length()) {
            throw error(at, "expected a key (0-9 * # A-D) at the end");
        }
        char c = text.charAt(at);
        DtmfDigit digit = DtmfDigit.fromSymbol(c);
        if (digit == null) {
            if (c >= 'a' && c <= 'd') {
                throw error(at, "keys A-D are upper case ('" + c + "')");
            }
            if (c == 'P') {
                throw error(at, "the prompt wait is lower-case 'p'");
            }
            throw error(at, "unexpected " + describe(c) + "; expected a key (0-9 * # A-D), w, W, p or {options}");
        }
        at++;
        return digit;
    }

    private SequenceStep pressWithOptions() throws DtmfSequenceException {
        Map<String, Object> options = optionBlock(List.of("duration", "gap"), name -> name.equals("duration")
                ? time(SequenceDefaults.MIN_TONE, SequenceDefaults.MAX_TONE, "duration")
                : time(SequenceDefaults.MIN_GAP, SequenceDefaults.MAX_GAP, "gap"));
        if (at == text.length() || DtmfDigit.fromSymbol(text.charAt(at)) == null) {
            if (at == text.length()) {
                throw error(at, "options must be followed by a key at the end");
            }
            throw error(at, "options must be followed by a key, not " + describe(text.charAt(at)));
        }
        return new SequenceStep.Press(key(), (Duration) options.getOrDefault("duration", defaults.tone()),
                (Duration) options.getOrDefault("gap", defaults.gap()));
    }

    private SequenceStep prompt() throws DtmfSequenceException {
        Map<String, Object> options = Map.of();
        if (at < text.length() && text.charAt(at) == '{') {
            options = optionBlock(List.of("silence", "timeout", "fallback"), name -> switch (name) {
                case "silence" -> time(SequenceDefaults.MIN_SILENCE, SequenceDefaults.MAX_SILENCE, "silence");
                case "timeout" -> time(SequenceDefaults.MIN_TIMEOUT, SequenceDefaults.MAX_TIMEOUT, "timeout");
                default -> fallback();
            });
        }
        Duration s = (Duration) options.getOrDefault("silence", defaults.promptSilence());
        Duration t = (Duration) options.getOrDefault("timeout", defaults.promptTimeout());
        if (s.compareTo(t) >= 0) {
            throw error(at - 1, "prompt silence (" + s.toMillis() + " ms) must be shorter than its timeout ("
                    + t.toMillis() + " ms)");
        }
        return new SequenceStep.AwaitPrompt(s, t,
                (PromptFallback) options.getOrDefault("fallback", defaults.promptFallback()));
    }

    private PromptFallback fallback() throws DtmfSequenceException {
        int valueAt = at;
        String value = word("continue or fail");
        return switch (value) {
            case "continue" -> PromptFallback.CONTINUE;
            case "fail" -> PromptFallback.FAIL;
            default -> throw error(valueAt, "fallback must be continue or fail");
        };
    }

    /** An option's value, after its name and '='. */
    private interface OptionValue {
        Object parse(String name) throws DtmfSequenceException;
    }

    /** '{' name=value (',' name=value)* '}' at {@code at}: each of {@code known} at most once; the values by name. */
    private Map<String, Object> optionBlock(List<String> known, OptionValue value) throws DtmfSequenceException {
        Map<String, Object> values = new HashMap<>();
        int open = at;
        at++;
        do {
            int nameAt = at;
            String name = name();
            if (!known.contains(name)) {
                throw error(nameAt, unknownOption(name, String.join(", ", known)));
            }
            if (values.containsKey(name)) {
                throw error(nameAt, name + " given twice");
            }
            values.put(name, value.parse(name));
        } while (separator(open));
        return values;
    }

    /** An option name and its '='. */
    private String name() throws DtmfSequenceException {
        String word = word("an option name");
        if (at == text.length() || text.charAt(at) != '=') {
            throw error(at, "expected '=' after " + word);
        }
        at++;
        return word;
    }

    /** A run of lower-case letters (at most 16). */
    private String word(String expected) throws DtmfSequenceException {
        int start = at;
        while (at < text.length() && at - start < 16 && text.charAt(at) >= 'a' && text.charAt(at) <= 'z') {
            at++;
        }
        if (at == start) {
            throw error(at, "expected " + expected + (at == text.length() ? " at the end"
                    : ", found " + describe(text.charAt(at))));
        }
        return text.substring(start, at);
    }

    /** After an option: ',' continues, '}' closes. */
    private boolean separator(int open) throws DtmfSequenceException {
        if (at == text.length()) {
            throw error(open, "unclosed '{'");
        }
        char c = text.charAt(at);
        at++;
        if (c == ',') {
            return true;
        }
        if (c == '}') {
            return false;
        }
        throw error(at - 1, "expected ',' or '}', found " + describe(c));
    }

    private Duration time(Duration min, Duration max, String what) throws DtmfSequenceException {
        int start = at;
        long whole = 0;
        int digits = 0;
        while (at < text.length() && Character.isDigit(text.charAt(at)) && text.charAt(at) < 128) {
            if (++digits > 6) {
                throw error(start, what + ": too many digits");
            }
            whole = whole * 10 + text.charAt(at) - '0';
            at++;
        }
        if (digits == 0) {
            throw error(start, what + ": expected a time such as 120ms or 1.5s");
        }
        long fractionMillis = 0;
        boolean fraction = false;
        if (at < text.length() && text.charAt(at) == '.') {
            fraction = true;
            at++;
            int scale = 100;
            int fractionDigits = 0;
            while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
                if (++fractionDigits > 3) {
                    throw error(start, what + ": at most millisecond precision");
                }
                fractionMillis += (text.charAt(at) - '0') * scale;
                scale /= 10;
                at++;
            }
            if (fractionDigits == 0) {
                throw error(start, what + ": expected digits after '.'");
            }
        }
        Duration value;
        if (text.startsWith("ms", at)) {
            if (fraction) {
                throw error(start, what + ": milliseconds are whole numbers");
            }
            at += 2;
            value = Duration.ofMillis(whole);
        } else if (text.startsWith("s", at)) {
            at += 1;
            value = Duration.ofMillis(whole * 1000 + fractionMillis);
        } else {
            throw error(start, what + ": missing unit (ms or s)");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw error(start, what + " must be " + min.toMillis() + ".." + max.toMillis() + " ms, not "
                    + value.toMillis() + " ms");
        }
        return value;
    }

    private static String unknownOption(String name, String known) {
        return "unknown option '" + name + "' (known: " + known + ")";
    }

    private static String describe(char c) {
        return c >= 0x20 && c <= 0x7E ? "'" + c + "'" : String.format("character U+%04X", (int) c);
    }

    /** {@code index} is 0-based; errors report 1-based positions. */
    private DtmfSequenceException error(int index, String problem) {
        return new DtmfSequenceException(item, index + 1, problem);
    }
}
