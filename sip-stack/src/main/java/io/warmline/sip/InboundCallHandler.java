package io.warmline.sip;

import java.util.concurrent.Executor;

/** Receives inbound calls that passed a trunk's ACL and number check. */
public interface InboundCallHandler {

    /**
     * Picks the executor every callback of this call runs on. Called on a JAIN-SIP thread: do nothing slow.
     * Callbacks are serialized even when the executor is not.
     */
    Executor executorFor(InboundCall call);

    /** A new inbound leg (100 Trying already sent). Runs on the executor returned by {@link #executorFor}. */
    void onInvite(InboundLeg leg);
}
