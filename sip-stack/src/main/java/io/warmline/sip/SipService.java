package io.warmline.sip;

import io.warmline.sip.internal.SipCore;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * SIP signalling for Warmline: listening points, inbound admission by trunk (ACL and numbers), outbound calls
 * through trunks, dialogs, re-INVITEs and session timers, on the JAIN-SIP RI. SDP bodies are opaque strings.
 * Thread-safe.
 */
public final class SipService implements AutoCloseable {

    private final SipCore core;

    public SipService(SipSettings settings, List<Trunk> trunks, InboundCallHandler handler) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(trunks, "trunks");
        Objects.requireNonNull(handler, "handler");
        this.core = new SipCore(settings, trunks, handler);
    }

    /**
     * Creates the stack, its listening points and providers. With TLS, the keystore (and trust store) are read
     * here: a missing file, wrong password or a keystore without a private key fails the start.
     */
    public void start() throws SipStartException {
        core.start();
    }

    /**
     * Places a call through {@code trunk}. Returns at once; the listener (on {@code callExecutor}, serialized)
     * learns the outcome. Refusals (no listening point for the transport, maxCalls) arrive as
     * {@link OutboundLeg.Listener#onFailed}.
     *
     * @throws IllegalArgumentException when {@code number} is not a plain SIP user ([A-Za-z0-9+*._-], 1..64)
     * @throws IllegalStateException    when the service is not running
     */
    public OutboundLeg dial(Trunk trunk, String number, ConversationId conversation, String sdpOffer,
                            Executor callExecutor, OutboundLeg.Listener listener) {
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(callExecutor, "callExecutor");
        Objects.requireNonNull(listener, "listener");
        return core.dial(trunk, number, conversation, sdpOffer, callExecutor, listener);
    }

    /** Drain: new INVITEs get 503 with Retry-After; existing dialogs are still served. */
    public void stopAccepting() {
        core.stopAccepting();
    }

    /** Live SIP legs (dialogs, inbound and outbound); {@link SipSettings#maxCalls()} bounds this number. */
    public int activeCalls() {
        return core.activeCalls();
    }

    /** The bound port of the first listening point of this transport (useful with port 0). */
    public int localPort(String transport) {
        return core.localPort(transport);
    }

    /** INVITEs refused by the trunk ACL/number check since start. */
    public long aclRejectedCount() {
        return core.aclRejectedCount();
    }

    /** INVITEs refused with 503 because the node was draining or at {@link SipSettings#maxCalls()}, since start. */
    public long limitRejectedCount() {
        return core.limitRejectedCount();
    }

    /** Requests that could not be parsed or handled (answered 400 or dropped), since start. */
    public long malformedCount() {
        return core.malformedCount();
    }

    /**
     * The UDP listener's worker lanes: datagrams dropped because their lane was full or because they waited longer
     * than the congestion timeout, and each lane's depth. {@link UdpLaneStats#NONE} before {@link #start()} and
     * without a UDP listening point.
     */
    public UdpLaneStats udpLaneStats() {
        return core.udpLaneStats();
    }

    /** Ends live legs (BYE on confirmed dialogs, onEnded(SHUTDOWN)) and stops the stack. */
    @Override
    public void close() {
        core.close();
    }

    SipCore core() {
        return core;
    }
}
