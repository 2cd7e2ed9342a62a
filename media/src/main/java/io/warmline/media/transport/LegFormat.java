package io.warmline.media.transport;

import java.util.Objects;

/**
 * The negotiated audio format of a leg (RFC 3264 answer): the codec's payload type, encoding name and clock rate,
 * and the telephone-event payload type (RFC 4733 §7.1.1), or -1 when none was negotiated.
 */
public record LegFormat(int payloadType, String encoding, int clockRate, int telephoneEventPt) {

    public LegFormat {
        Objects.requireNonNull(encoding, "encoding");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range: " + payloadType);
        }
        if (telephoneEventPt < -1 || telephoneEventPt > 127 || telephoneEventPt == payloadType) {
            throw new IllegalArgumentException("bad telephone-event payload type: " + telephoneEventPt);
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
    }

    public boolean hasTelephoneEvent() {
        return telephoneEventPt >= 0;
    }

    /** Encoding names compare case-insensitively (RFC 4855 §3). */
    public boolean sameEncoding(LegFormat other) {
        return encoding.equalsIgnoreCase(other.encoding) && clockRate == other.clockRate;
    }
}
