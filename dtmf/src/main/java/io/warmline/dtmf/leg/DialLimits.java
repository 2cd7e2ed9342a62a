package io.warmline.dtmf.leg;

/**
 * Bounds on digits pressed on demand on one leg.
 *
 * @param maxLength characters of one request, 1..1024
 * @param maxDigits keys in one request, 1..256
 * @param maxPending requests queued or running at once, 1..64
 * @param burstDigits keys that may be requested at once (token bucket size), at least {@code maxDigits}
 * @param digitsPerSecond sustained key rate (bucket refill), 1..20
 */
public record DialLimits(int maxLength, int maxDigits, int maxPending, int burstDigits, int digitsPerSecond) {

    /** 128 characters, 32 keys, 4 requests, a burst of 64 keys then 4 keys a second. */
    public static final DialLimits STANDARD = new DialLimits(128, 32, 4, 64, 4);

    public DialLimits {
        check("maxLength", maxLength, 1, 1024);
        check("maxDigits", maxDigits, 1, 256);
        check("maxPending", maxPending, 1, 64);
        check("burstDigits", burstDigits, maxDigits, 4096);
        check("digitsPerSecond", digitsPerSecond, 1, 20);
    }

    private static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be " + min + ".." + max + ": " + value);
        }
    }
}
