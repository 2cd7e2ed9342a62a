package io.warmline.dtmf.leg;

/**
 * Presses keys on one leg on demand (the agent API's "send DTMF"). An instance belongs to exactly one leg and holds no
 * reference to any other: a caller can reach only the leg it was given. Thread-safe.
 */
public interface DigitDialer {

    /**
     * Queues a sequence behind any the leg is already sending.
     *
     * @param digits the sequence language of DESIGN.md ({@code 0-9 * # A-D}, {@code w}, {@code W}, {@code p},
     *     per-key options), at most {@link DialLimits#maxLength()} characters and {@link DialLimits#maxDigits()} keys
     * @throws DialRejectedException if the text does not parse, is too long, the rate or queue limit is reached, the
     *     leg has ended or cannot send digits
     */
    DialHandle press(String digits) throws DialRejectedException;
}
