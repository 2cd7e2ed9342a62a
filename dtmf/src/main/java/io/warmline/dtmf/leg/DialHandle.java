package io.warmline.dtmf.leg;

import java.util.concurrent.CompletableFuture;

/** One sequence queued or running on a leg. */
public interface DialHandle {

    /** Numbers the leg's sequences from 1 in the order they were accepted. */
    long id();

    /** What the sequence is for, as given when it was queued (e.g. {@code "ivr"} or {@code "api"}). */
    String tag();

    /** Completes once, on the leg's event loop, when the sequence ends in any way. */
    CompletableFuture<DialResult> result();

    /**
     * Stops the sequence: no further key goes out (a key already sounding finishes, so the far end sees a whole
     * press). The result is {@code CANCELLED} unless the sequence ended first. Idempotent.
     */
    void cancel();
}
