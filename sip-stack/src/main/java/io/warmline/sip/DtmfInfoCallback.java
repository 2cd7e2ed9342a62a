package io.warmline.sip;

/** Outcome of a DTMF INFO we sent; runs on the leg's call executor. */
@FunctionalInterface
public interface DtmfInfoCallback {
    /**
     * The final response's status (2xx: the far end took the key), or a local failure: 481 when the dialog is not
     * confirmed or has ended, 408 when the INFO timed out, 503 when too many INFOs are waiting to be sent.
     */
    void onResult(int status, String reason);
}
