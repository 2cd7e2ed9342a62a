package io.warmline.dtmf.leg;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.sequence.SequenceDefaults;
import java.util.Objects;

/**
 * How one leg sends and hears digits.
 *
 * @param mode the configured mode; {@link DtmfMode#AUTO} becomes RFC 4733 or in-band once the leg's telephone-event
 *     payload type is known
 * @param defaults tone length, gap and prompt-wait values for keys that do not say
 * @param volume RFC 4733 event volume, 0..63 (-dBm0, RFC 4733 §2.3.2)
 * @param detectInband whether the far end's audio is searched for Q.23 tones (in every mode: a far end may send
 *     tones although events were negotiated)
 * @param limits bounds on keys pressed on demand
 */
public record LegDtmfSettings(DtmfMode mode, SequenceDefaults defaults, int volume, boolean detectInband,
                              DialLimits limits) {

    /** Auto mode, standard tones, volume 10, in-band detection on, standard limits. */
    public static final LegDtmfSettings STANDARD =
            new LegDtmfSettings(DtmfMode.AUTO, SequenceDefaults.STANDARD, 10, true, DialLimits.STANDARD);

    public LegDtmfSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(limits, "limits");
        if (volume < 0 || volume > 63) {
            throw new IllegalArgumentException("volume must be 0..63: " + volume);
        }
    }

    public LegDtmfSettings withMode(DtmfMode newMode) {
        return new LegDtmfSettings(newMode, defaults, volume, detectInband, limits);
    }
}
