package io.warmline.media.transport;

/**
 * No free RTP/RTCP port pair in the configured range. The signalling layer answers the call with 503 Service
 * Unavailable (RFC 3261 §21.5.4); a later attempt can succeed once calls end.
 */
public final class PortsExhaustedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int capacity;

    public PortsExhaustedException(int capacity) {
        super("no free RTP port pair (" + capacity + " pairs in the range are in use or cannot be bound)");
        this.capacity = capacity;
    }

    /** Number of port pairs the range holds. */
    public int capacity() {
        return capacity;
    }

    /** SIP final response for the call that needed the port. */
    public int sipStatus() {
        return 503;
    }

    /** Ports come free as calls end, so trying again later can help. */
    public boolean retryable() {
        return true;
    }
}
