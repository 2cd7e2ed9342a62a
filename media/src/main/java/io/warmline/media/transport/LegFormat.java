package io.warmline.media.transport;

import java.util.List;
import java.util.Objects;

/**
 * The negotiated audio format of a leg (RFC 3264 answer): the codec's payload type, encoding name and clock rate, the
 * telephone-event payload type (RFC 4733 §7.1.1), or -1 when none was negotiated, and the other audio formats the
 * peer may send us (RFC 3264 §6.1: any format of the answer, not only the one we send).
 *
 * @param otherReceived agreed audio formats besides {@code payloadType} that the peer may send (at most 16)
 */
public record LegFormat(int payloadType, String encoding, int clockRate, int telephoneEventPt,
        List<Audio> otherReceived) {

    /** One more audio format the peer may send: payload type, encoding name and clock rate. */
    public record Audio(int payloadType, String encoding, int clockRate) {
        public Audio {
            Objects.requireNonNull(encoding, "encoding");
            if (payloadType < 0 || payloadType > 127) {
                throw new IllegalArgumentException("payload type out of range: " + payloadType);
            }
            if (clockRate <= 0) {
                throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
            }
        }
    }

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
        otherReceived = List.copyOf(otherReceived);
        if (otherReceived.size() > 16) {
            throw new IllegalArgumentException("too many received formats: " + otherReceived.size());
        }
        for (Audio a : otherReceived) {
            if (a.payloadType() == payloadType || a.payloadType() == telephoneEventPt) {
                throw new IllegalArgumentException("payload type " + a.payloadType() + " listed twice");
            }
        }
    }

    /** One format both ways. */
    public LegFormat(int payloadType, String encoding, int clockRate, int telephoneEventPt) {
        this(payloadType, encoding, clockRate, telephoneEventPt, List.of());
    }

    public boolean hasTelephoneEvent() {
        return telephoneEventPt >= 0;
    }

    /** Encoding names compare case-insensitively (RFC 4855 §3). */
    public boolean sameEncoding(LegFormat other) {
        return encoding.equalsIgnoreCase(other.encoding) && clockRate == other.clockRate;
    }
}
