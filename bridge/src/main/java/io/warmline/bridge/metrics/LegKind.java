package io.warmline.bridge.metrics;

/** The kind of a media leg, the {@code kind} label of the per-leg meters (a closed set). */
public enum LegKind {
    /** An RTP leg of a SIP dialog: a carrier call's either side, or an escalation's support line. */
    SIP("sip"),
    /** A browser's voice leg after ICE, DTLS and SRTP. */
    WEBRTC("webrtc");

    private final String label;

    LegKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
