package io.warmline.dtmf.ivr;

import io.warmline.dtmf.DtmfDigit;
import java.time.Duration;
import java.util.Objects;

/** What a {@link SequenceExecutor} asks its owner to do or tells it happened. */
public sealed interface ExecutorOutput {

    /** Press {@code digit} now (by the leg's DTMF mode) for {@code tone}; the next step comes after {@code gap}. */
    record SendDigit(int step, DtmfDigit digit, Duration tone, Duration gap, long atNanos) implements ExecutorOutput {
        public SendDigit {
            Objects.requireNonNull(digit, "digit");
        }
    }

    /** A blind pause or a prompt wait ended; {@code timedOut} when a prompt wait gave up and continued. */
    record WaitFinished(int step, boolean prompt, boolean timedOut, long atNanos) implements ExecutorOutput {
    }

    /** The sequence is over; nothing follows. */
    record Done(Outcome outcome, int stepsCompleted, long atNanos) implements ExecutorOutput {
        public Done {
            Objects.requireNonNull(outcome, "outcome");
        }
    }

    enum Outcome {
        /** Every step ran. */
        DONE,
        /** A prompt wait with fallback {@code fail} timed out. */
        PROMPT_TIMEOUT,
        /** The leg hung up or failed first. */
        LEG_ENDED,
        /** The owner cancelled (the escalation was cancelled or a person took over). */
        CANCELLED
    }
}
