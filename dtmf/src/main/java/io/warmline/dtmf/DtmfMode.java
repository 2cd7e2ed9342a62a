package io.warmline.dtmf;

/**
 * How a trunk sends and hears digits (issue 4, per-trunk mode). {@link #effective} turns the configured mode into the
 * one a leg uses once the SDP answer is known.
 */
public enum DtmfMode {
    /** RFC 4733 telephone-events; the far end must have negotiated telephone-event. */
    RFC4733,
    /** Tones in the audio (ITU-T Q.23), heard with the Goertzel detector. */
    INBAND,
    /** SIP INFO with {@code application/dtmf-relay} bodies. */
    INFO,
    /** RFC 4733 if the far end offered telephone-event, else in-band. */
    AUTO;

    /**
     * The mode a leg uses.
     *
     * @param telephoneEventNegotiated whether the answer kept a telephone-event payload type at the leg's clock rate
     * @throws IllegalStateException if RFC 4733 is configured but was not negotiated (the leg cannot send digits)
     */
    public DtmfMode effective(boolean telephoneEventNegotiated) {
        return switch (this) {
            case AUTO -> telephoneEventNegotiated ? RFC4733 : INBAND;
            case RFC4733 -> {
                if (!telephoneEventNegotiated) {
                    throw new IllegalStateException("rfc4733 configured but telephone-event was not negotiated");
                }
                yield RFC4733;
            }
            default -> this;
        };
    }
}
