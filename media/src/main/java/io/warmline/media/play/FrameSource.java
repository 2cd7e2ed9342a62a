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

    /**
     * How wide the audio is, as the lowest of 8000, 16000 and 48000 that carries it (see
     * {@link io.warmline.media.mix.Participant#setAudioRate}): a source at 8000 lets a listener that hears only
     * telephone-band audio be coded narrowband. By default the bridge rate, i.e. as wide as the frames.
     */
    default int audioRate() {
        return frameSamples() * 50;
    }
}
