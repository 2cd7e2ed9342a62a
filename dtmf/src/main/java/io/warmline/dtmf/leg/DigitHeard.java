package io.warmline.dtmf.leg;

import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.DtmfMode;
import java.util.Objects;

/**
 * A key the far end pressed on one leg, reported once however many ways it was heard.
 *
 * @param legId the leg it was heard on
 * @param digit the key
 * @param source how it was heard: {@link DtmfMode#RFC4733}, {@link DtmfMode#INBAND} or {@link DtmfMode#INFO}
 * @param startNanos when the press began (first event packet, first tone window or the INFO's arrival), leg clock
 * @param durationMillis as the far end reported it (RFC 4733, INFO) or as heard (in-band)
 * @param endSeen false if an RFC 4733 event was closed by timeout because its end packets never came
 */
public record DigitHeard(String legId, DtmfDigit digit, DtmfMode source, long startNanos, int durationMillis,
                         boolean endSeen) {
    public DigitHeard {
        Objects.requireNonNull(legId, "legId");
        Objects.requireNonNull(digit, "digit");
        Objects.requireNonNull(source, "source");
        if (source == DtmfMode.AUTO) {
            throw new IllegalArgumentException("a digit is heard by rfc4733, inband or info, not auto");
        }
    }
}
