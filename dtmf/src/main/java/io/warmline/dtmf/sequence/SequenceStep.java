package io.warmline.dtmf.sequence;

import io.warmline.dtmf.DtmfDigit;
import java.time.Duration;
import java.util.Objects;

/** One step of a {@link DtmfSequence}. */
public sealed interface SequenceStep {

    /** Press a key: the tone lasts {@code tone}, then nothing is sent for {@code gap}. */
    record Press(DtmfDigit digit, Duration tone, Duration gap) implements SequenceStep {
        public Press {
            Objects.requireNonNull(digit, "digit");
            Objects.requireNonNull(tone, "tone");
            Objects.requireNonNull(gap, "gap");
        }
    }

    /** A blind pause ({@code w} = 0.5 s, {@code W} = 1 s). */
    record Pause(Duration duration) implements SequenceStep {
        public Pause {
            Objects.requireNonNull(duration, "duration");
        }
    }

    /**
     * Wait for the far end's prompt: it must start speaking and then stay silent for {@code silence}; if that has not
     * happened within {@code timeout}, {@code fallback} decides.
     */
    record AwaitPrompt(Duration silence, Duration timeout, PromptFallback fallback) implements SequenceStep {
        public AwaitPrompt {
            Objects.requireNonNull(silence, "silence");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(fallback, "fallback");
        }
    }

    /** What a prompt wait does when its timeout passes. */
    enum PromptFallback {
        /** Go on with the next step as if the prompt had ended. */
        CONTINUE,
        /** Stop the sequence with a prompt-timeout outcome. */
        FAIL
    }
}
