package io.warmline.dtmf.info;

import io.warmline.dtmf.DtmfDigit;
import java.util.Objects;

/**
 * A key press carried in a SIP INFO body.
 *
 * @param durationMillis the tone length the sender asked for; {@link DtmfInfoCodec#DEFAULT_DURATION_MILLIS} when the
 *     body did not say ({@code application/dtmf} never does)
 */
public record DtmfInfo(DtmfDigit digit, int durationMillis) {
    public DtmfInfo {
        Objects.requireNonNull(digit, "digit");
        if (durationMillis < DtmfInfoCodec.MIN_DURATION_MILLIS || durationMillis > DtmfInfoCodec.MAX_DURATION_MILLIS) {
            throw new IllegalArgumentException("duration must be " + DtmfInfoCodec.MIN_DURATION_MILLIS + ".."
                    + DtmfInfoCodec.MAX_DURATION_MILLIS + " ms: " + durationMillis);
        }
    }
}
