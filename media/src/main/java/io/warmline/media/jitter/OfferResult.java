package io.warmline.media.jitter;

/** What {@link JitterBuffer#offer} did with a packet. Every outcome but {@link #BUFFERED} is counted, and the packet dropped. */
public enum OfferResult {
    /** Stored for playout. */
    BUFFERED,
    /** Arrived after its playout time (or is older than the duplicate window). */
    LATE,
    /** A sequence number already received, or a timestamp already buffered. */
    DUPLICATE,
    /** The buffer was full and this packet was the oldest of all, so it was dropped. */
    DISCARDED,
    /** Empty, or larger than the configured maximum payload. */
    MALFORMED
}
