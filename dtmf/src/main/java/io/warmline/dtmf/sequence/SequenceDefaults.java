package io.warmline.dtmf.sequence;

import io.warmline.dtmf.sequence.SequenceStep.PromptFallback;
import java.time.Duration;
import java.util.Objects;

/**
 * Values a sequence uses where it does not say otherwise; each is checked against the same bounds as the sequence's
 * own overrides.
 */
public record SequenceDefaults(Duration tone, Duration gap, Duration promptSilence, Duration promptTimeout,
                               PromptFallback promptFallback) {

    public static final Duration MIN_TONE = Duration.ofMillis(40);
    public static final Duration MAX_TONE = Duration.ofSeconds(2);
    public static final Duration MIN_GAP = Duration.ofMillis(40);
    public static final Duration MAX_GAP = Duration.ofSeconds(5);
    public static final Duration MIN_SILENCE = Duration.ofMillis(200);
    public static final Duration MAX_SILENCE = Duration.ofSeconds(10);
    public static final Duration MIN_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(120);

    /** 100 ms tones, 100 ms gaps; a prompt has ended after 1 s of silence, waited for at most 15 s, then continue. */
    public static final SequenceDefaults STANDARD = new SequenceDefaults(Duration.ofMillis(100),
            Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(15), PromptFallback.CONTINUE);

    public SequenceDefaults {
        check("tone", tone, MIN_TONE, MAX_TONE);
        check("gap", gap, MIN_GAP, MAX_GAP);
        check("prompt silence", promptSilence, MIN_SILENCE, MAX_SILENCE);
        check("prompt timeout", promptTimeout, MIN_TIMEOUT, MAX_TIMEOUT);
        Objects.requireNonNull(promptFallback, "promptFallback");
        if (promptSilence.compareTo(promptTimeout) >= 0) {
            throw new IllegalArgumentException("prompt silence must be shorter than the prompt timeout");
        }
    }

    private static void check(String what, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, what);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " must be " + min.toMillis() + ".." + max.toMillis() + " ms: "
                    + value.toMillis() + " ms");
        }
    }
}
