package io.warmline.bridge.metrics;

/** How a carrier call ended, the {@code outcome} label of {@code warmline_calls_ended_total} (a closed set). */
public enum CallOutcome {
    /** The support line answered; the call ended afterwards, by either side or by the node. */
    ANSWERED("answered"),
    /** The caller hung up or cancelled before the support line answered. */
    CANCELLED("cancelled"),
    /** The support line did not take the call (busy, declined, no answer, unreachable). */
    UNANSWERED("unanswered"),
    /** Warmline refused the INVITE itself: no offer, unusable SDP, no common codec, no RTP port. */
    REFUSED("refused"),
    /** Anything else before the answer (the node drained, a leg failed in the SIP layer). */
    FAILED("failed");

    private final String label;

    CallOutcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
