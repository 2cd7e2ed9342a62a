package io.warmline.webrtc.dtls;

import java.util.Objects;

/** A DTLS handshake that did not produce SRTP keys, with its typed {@link DtlsFailure reason}. */
public final class DtlsHandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final DtlsFailure reason;
    private final short alert;

    public DtlsHandshakeException(DtlsFailure reason, short alert, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.alert = alert;
    }

    public DtlsFailure reason() {
        return reason;
    }

    /** The TLS AlertDescription sent or received (RFC 5246 §7.2), or -1 when there was none. */
    public short alert() {
        return alert;
    }

    public boolean retryable() {
        return reason.retryable();
    }
}
