package io.warmline.dtmf;

import java.util.Objects;

/**
 * One key press heard on a leg, reported once when it ends.
 *
 * @param digit the key
 * @param startNanos when the press was first seen (the caller's clock)
 * @param durationMillis how long the key was held, as the sender reported it (RFC 4733) or as heard (in-band)
 * @param endSeen false if the press was closed by a timeout because its end was never seen
 */
public record DigitPress(DtmfDigit digit, long startNanos, int durationMillis, boolean endSeen) {
    public DigitPress {
        Objects.requireNonNull(digit, "digit");
        if (durationMillis < 0) {
            throw new IllegalArgumentException("negative duration: " + durationMillis);
        }
    }
}
