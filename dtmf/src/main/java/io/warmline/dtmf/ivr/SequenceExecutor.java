package io.warmline.dtmf.ivr;

import io.warmline.dtmf.ivr.ExecutorOutput.Done;
import io.warmline.dtmf.ivr.ExecutorOutput.Outcome;
import io.warmline.dtmf.ivr.ExecutorOutput.SendDigit;
import io.warmline.dtmf.ivr.ExecutorOutput.WaitFinished;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.dtmf.sequence.SequenceStep;
import io.warmline.dtmf.sequence.SequenceStep.AwaitPrompt;
import io.warmline.dtmf.sequence.SequenceStep.Pause;
import io.warmline.dtmf.sequence.SequenceStep.Press;
import io.warmline.dtmf.sequence.SequenceStep.PromptFallback;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;

/**
 * Runs a {@link DtmfSequence} on one leg, sans-IO: driven by time ({@link #advance}), the far end's voice activity
 * ({@link #onSpeechStarted}, {@link #onSpeechEnded}) and the leg's state ({@link #onLegEnded}, {@link #cancel});
 * outputs are drained with {@link #poll()} after each input.
 *
 * <pre>
 *  start(t) ──► step i ──► Press: SendDigit at its start, next step after tone + gap
 *                     ├──► Pause: WaitFinished after the pause
 *                     └──► AwaitPrompt: the far end speaks, then stays silent for `silence`
 *                                       ─► WaitFinished; no such end within `timeout`
 *                                       ─► continue (WaitFinished, timedOut) or Done(PROMPT_TIMEOUT)
 *  after the last step ─► Done(DONE);  leg ended ─► Done(LEG_ENDED);  cancel ─► Done(CANCELLED)
 * </pre>
 * Steps are scheduled from when the previous one was due, not from when the owner happened to call, so timing does not
 * drift with the owner's tick. A prompt wait that begins while the far end is already speaking waits for that speech
 * to end; otherwise it waits for the next speech. Not thread-safe: the call's event loop owns it.
 */
public final class SequenceExecutor {

    private final List<SequenceStep> steps;
    private final ArrayDeque<ExecutorOutput> outputs = new ArrayDeque<>();

    private boolean started;
    private boolean finished;
    private int index;
    private boolean stepStarted;
    /** When the current step is (or was) due to start. */
    private long cursor;
    private long stepEnd;

    private boolean speaking;
    private boolean heard;
    private long lastSpeechEnd;
    private long promptDeadline;

    public SequenceExecutor(DtmfSequence sequence) {
        this.steps = Objects.requireNonNull(sequence, "sequence").steps();
    }

    /**
     * Starts the first step at {@code firstStepNanos} (answer time plus the target's delay, or earlier for targets
     * navigated during early media).
     */
    public void start(long firstStepNanos, long nowNanos) {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        cursor = firstStepNanos;
        advance(nowNanos);
    }

    /** The far end started speaking (VAD speech start). */
    public void onSpeechStarted(long nowNanos) {
        speaking = true;
        if (inPromptWait()) {
            heard = true;
        }
        advance(nowNanos);
    }

    /**
     * The far end stopped speaking.
     *
     * @param speechEndNanos the end of the last speech frame (the VAD reports the end after its hangover, later)
     */
    public void onSpeechEnded(long speechEndNanos, long nowNanos) {
        speaking = false;
        lastSpeechEnd = speechEndNanos;
        advance(nowNanos);
    }

    public void onLegEnded(long nowNanos) {
        finish(Outcome.LEG_ENDED, nowNanos);
    }

    public void cancel(long nowNanos) {
        finish(Outcome.CANCELLED, nowNanos);
    }

    public boolean isFinished() {
        return finished;
    }

    /** When {@link #advance} next has work; {@link Long#MAX_VALUE} when it only waits for input or is finished. */
    public long nextDeadlineNanos() {
        if (!started || finished) {
            return Long.MAX_VALUE;
        }
        if (!stepStarted) {
            return cursor;
        }
        if (steps.get(index) instanceof AwaitPrompt prompt) {
            return Math.min(promptDeadline, promptEnd(prompt));
        }
        return stepEnd;
    }

    /** The next output, or null. */
    public ExecutorOutput poll() {
        return outputs.poll();
    }

    /** Runs every step that is due at {@code nowNanos}. */
    public void advance(long nowNanos) {
        if (!started || finished) {
            return;
        }
        while (index < steps.size()) {
            SequenceStep step = steps.get(index);
            if (!stepStarted) {
                if (nowNanos < cursor) {
                    return;
                }
                stepStarted = true;
                if (step instanceof Press press) {
                    outputs.add(new SendDigit(index, press.digit(), press.tone(), press.gap(), cursor));
                    stepEnd = cursor + press.tone().toNanos() + press.gap().toNanos();
                } else if (step instanceof Pause pause) {
                    stepEnd = cursor + pause.duration().toNanos();
                } else {
                    heard = speaking;
                    promptDeadline = cursor + ((AwaitPrompt) step).timeout().toNanos();
                }
            }
            if (step instanceof AwaitPrompt prompt) {
                long end = promptEnd(prompt);
                if (end <= promptDeadline && nowNanos >= end) {
                    outputs.add(new WaitFinished(index, true, false, end));
                    next(end);
                } else if (nowNanos >= promptDeadline) {
                    if (prompt.fallback() == PromptFallback.FAIL) {
                        finish(Outcome.PROMPT_TIMEOUT, promptDeadline);
                        return;
                    }
                    outputs.add(new WaitFinished(index, true, true, promptDeadline));
                    next(promptDeadline);
                } else {
                    return;
                }
            } else {
                if (nowNanos < stepEnd) {
                    return;
                }
                if (step instanceof Pause) {
                    outputs.add(new WaitFinished(index, false, false, stepEnd));
                }
                next(stepEnd);
            }
        }
        finish(Outcome.DONE, cursor);
    }

    /** When the current prompt counts as finished, if speech was heard and has stopped; else never. */
    private long promptEnd(AwaitPrompt prompt) {
        return heard && !speaking ? lastSpeechEnd + prompt.silence().toNanos() : Long.MAX_VALUE;
    }

    private boolean inPromptWait() {
        return started && !finished && stepStarted && index < steps.size() && steps.get(index) instanceof AwaitPrompt;
    }

    private void next(long at) {
        index++;
        stepStarted = false;
        cursor = at;
    }

    private void finish(Outcome outcome, long atNanos) {
        if (finished) {
            return;
        }
        finished = true;
        outputs.add(new Done(outcome, index, atNanos));
    }
}
