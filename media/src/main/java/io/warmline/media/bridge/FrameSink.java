package io.warmline.media.bridge;

/**
 * A listener of a bridge that is not an RTP leg (a recorder, a voice-activity detector, an agent stream): receives
 * the mix the hearing matrix lets it hear, one 20 ms frame at the bridge's mix rate per tick, on the bridge's event
 * loop. The array is reused after the call returns.
 */
@FunctionalInterface
public interface FrameSink {

    void onFrame(short[] pcm, int offset, int length, int rate, long nowNanos);
}
