package io.warmline.dtmf.leg;

import io.warmline.dtmf.ivr.ExecutorOutput.Outcome;
import java.util.Objects;

/**
 * How a sequence sent on a leg ended.
 *
 * @param digitsSent keys that went out before the end
 * @param atNanos when it ended, leg clock
 */
public record DialResult(Outcome outcome, int digitsSent, long atNanos) {
    public DialResult {
        Objects.requireNonNull(outcome, "outcome");
    }
}
