package io.warmline.sip;

/** Why an established (or answered) leg ended without a BYE from the far end. */
public enum EndReason {
    /** We sent 200 OK to the INVITE and no ACK came within 64*T1 (RFC 3261 §13.3.1.4); we sent BYE. */
    ACK_TIMEOUT,
    /** RFC 4028: no session refresh before the session expired; we sent BYE. */
    SESSION_EXPIRED,
    /** A request in the dialog timed out or got 408/481 (RFC 3261 §12.2.1.2): the dialog is gone. */
    DIALOG_LOST,
    /** The transport reported an error for this dialog. */
    TRANSPORT_ERROR,
    /** The SIP service was closed. */
    SHUTDOWN
}
