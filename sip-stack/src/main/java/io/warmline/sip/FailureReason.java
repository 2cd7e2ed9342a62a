package io.warmline.sip;

/** Why an outbound call failed before it was answered, and the status to relay to the inbound leg. */
public enum FailureReason {
    /** 486, 600. */
    BUSY(486),
    /** 403, 603. */
    REJECTED(403),
    /** 480, 503. */
    UNAVAILABLE(480),
    /** 404, 604. */
    NOT_FOUND(404),
    /** Ring timeout expired; we sent CANCEL. */
    NO_ANSWER(480),
    /** 487 for a CANCEL we did not send because of a ring timeout. */
    CANCELLED(487),
    /** Everything else: other statuses, transaction timeouts, transport errors, failed authentication. */
    TRUNK_ERROR(502);

    private final int sipStatus;

    FailureReason(int sipStatus) {
        this.sipStatus = sipStatus;
    }

    /** The final response to send to the inbound leg for this failure. */
    public int sipStatus() {
        return sipStatus;
    }

    /** Classifies a final non-2xx status of an outbound INVITE. */
    public static FailureReason fromStatus(int status) {
        return switch (status) {
            case 486, 600 -> BUSY;
            case 403, 603 -> REJECTED;
            case 480, 503 -> UNAVAILABLE;
            case 404, 604 -> NOT_FOUND;
            case 487 -> CANCELLED;
            default -> TRUNK_ERROR;
        };
    }
}
