package io.warmline.webrtc.ice;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of the lite agent.
 *
 * @param consentTimeout how long a leg keeps consent without an authenticated check on its selected path (RFC 7675
 *     §5.1: 30 s); before nomination, how long it waits for the first check or the nomination
 * @param maxLegs legs registered at once
 * @param maxPathsPerLeg validated remote paths remembered per leg; the oldest unselected one gives way
 */
public record IceLiteOptions(Duration consentTimeout, int maxLegs, int maxPathsPerLeg) {

    public static final Duration DEFAULT_CONSENT_TIMEOUT = Duration.ofSeconds(30);

    public IceLiteOptions {
        Objects.requireNonNull(consentTimeout, "consentTimeout");
        if (consentTimeout.isNegative() || consentTimeout.isZero()) {
            throw new IllegalArgumentException("consentTimeout must be positive");
        }
        if (maxLegs < 1) {
            throw new IllegalArgumentException("maxLegs must be at least 1");
        }
        if (maxPathsPerLeg < 1) {
            throw new IllegalArgumentException("maxPathsPerLeg must be at least 1");
        }
    }

    public static IceLiteOptions defaults() {
        return new IceLiteOptions(DEFAULT_CONSENT_TIMEOUT, 10_000, 8);
    }

    public IceLiteOptions withConsentTimeout(Duration timeout) {
        return new IceLiteOptions(timeout, maxLegs, maxPathsPerLeg);
    }
}
