package io.warmline.webrtc.srtp.internal;

/**
 * SSRC → per-stream crypto context, for the handful of streams a leg carries: a linear scan over parallel arrays,
 * with no boxing. Bounded; entries are never evicted (a leg's streams live as long as the leg). Not thread-safe.
 */
public final class StreamTable<C> {
    private final int[] ssrcs;
    private final Object[] contexts;
    private int size;

    public StreamTable(int capacity) {
        this.ssrcs = new int[capacity];
        this.contexts = new Object[capacity];
    }

    @SuppressWarnings("unchecked")
    public C get(int ssrc) {
        for (int i = 0; i < size; i++) {
            if (ssrcs[i] == ssrc) {
                return (C) contexts[i];
            }
        }
        return null;
    }

    public boolean isFull() {
        return size == ssrcs.length;
    }

    /** Adds a context for an SSRC not present; the caller checked {@link #isFull()}. */
    public void put(int ssrc, C context) {
        ssrcs[size] = ssrc;
        contexts[size] = context;
        size++;
    }

    public void remove(int ssrc) {
        for (int i = 0; i < size; i++) {
            if (ssrcs[i] == ssrc) {
                size--;
                ssrcs[i] = ssrcs[size];
                contexts[i] = contexts[size];
                contexts[size] = null;
                return;
            }
        }
    }

    public int size() {
        return size;
    }
}
