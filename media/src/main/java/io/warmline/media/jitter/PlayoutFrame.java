package io.warmline.media.jitter;

/**
 * What {@link JitterBuffer#poll} hands out for one frame period. The buffer owns and reuses this object: its contents
 * are valid until the next {@code poll}. The payload arrays are copies, so offering packets in between is safe.
 */
public final class PlayoutFrame {

    /** What the caller should play for this frame period. */
    public enum Kind {
        /** A received packet: decode {@link #payload()}. */
        AUDIO,
        /** The packet for this period is missing (lost, late, or the buffer ran dry): conceal it. */
        MISSING,
        /** Nothing to play (before the first packet, or in a pause between talkspurts): play silence. */
        SILENCE
    }

    private Kind kind = Kind.SILENCE;
    private int sequenceNumber;
    private long timestamp;
    private boolean marker;
    private final byte[] payload;
    private int payloadLength;
    private final byte[] nextPayload;
    private int nextPayloadLength = -1;
    private boolean stretched;

    PlayoutFrame(int maxPayloadBytes) {
        payload = new byte[maxPayloadBytes];
        nextPayload = new byte[maxPayloadBytes];
    }

    public Kind kind() {
        return kind;
    }

    /** RTP sequence number of the packet played ({@link Kind#AUDIO} only). */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** RTP timestamp (32 bits, unsigned) of the period played; for {@link Kind#SILENCE} while waiting, 0. */
    public long timestamp() {
        return timestamp;
    }

    public boolean marker() {
        return marker;
    }

    /** Payload bytes, valid in {@code [0, payloadLength())}; the array is larger. */
    public byte[] payload() {
        return payload;
    }

    public int payloadLength() {
        return kind == Kind.AUDIO ? payloadLength : 0;
    }

    /**
     * For {@link Kind#MISSING}: whether the packet that follows the missing one is already buffered, so a codec with
     * in-band FEC (Opus, RFC 7587 §3.1.1) can rebuild the missing frame from it.
     */
    /**
     * For {@link Kind#MISSING}: nothing was lost, the period is inserted to grow the delay (expand); the next frame
     * follows the last one played without a gap, so an analysis of the received audio leaves it out.
     */
    public boolean stretchedOnly() {
        return stretched;
    }

    public boolean hasNext() {
        return nextPayloadLength >= 0;
    }

    public byte[] nextPayload() {
        return nextPayload;
    }

    public int nextPayloadLength() {
        return Math.max(0, nextPayloadLength);
    }

    void setAudio(int seq, long ts, boolean mark, byte[] data, int length) {
        stretched = false;
        kind = Kind.AUDIO;
        sequenceNumber = seq;
        timestamp = ts;
        marker = mark;
        System.arraycopy(data, 0, payload, 0, length);
        payloadLength = length;
        nextPayloadLength = -1;
    }

    void setMissing(long ts) {
        stretched = false;
        kind = Kind.MISSING;
        timestamp = ts;
        marker = false;
        payloadLength = 0;
        nextPayloadLength = -1;
    }

    void setStretched() {
        stretched = true;
    }

    void setNext(byte[] data, int length) {
        System.arraycopy(data, 0, nextPayload, 0, length);
        nextPayloadLength = length;
    }

    void setSilence(long ts) {
        stretched = false;
        kind = Kind.SILENCE;
        timestamp = ts;
        marker = false;
        payloadLength = 0;
        nextPayloadLength = -1;
    }

    @Override
    public String toString() {
        return kind + (kind == Kind.AUDIO ? "#" + sequenceNumber : "") + "@" + timestamp;
    }
}
