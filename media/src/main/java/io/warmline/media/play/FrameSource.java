package io.warmline.media.play;

/**
 * Something that produces audio one 20 ms frame at a time at the bridge rate: a player feeding a mixer participant.
 * Not thread-safe: owned by the bridge's event loop.
 */
public interface FrameSource {

    /** Samples per frame at the bridge rate. */
    int frameSamples();

    /**
     * Writes the next frame into {@code out} at {@code offset} (silence once finished).
     *
     * @return false if the source had already finished before this frame (the frame written is then silence)
     */
    boolean readFrame(short[] out, int offset);
}
