package io.warmline.media.bridge;

/**
 * Sees each decoded 20 ms frame of one leg at 8 kHz (160 samples), concealed frames included and silence as zeros,
 * once per tick: what a Goertzel DTMF detector or a voice-activity detector needs. After a stall of the bridge's loop
 * it also sees, in order and before the tick's own frame, the received frames that playout skipped to catch up
 * (each with the time it would have been played; a G.711 leg's may end with one 10 ms frame of 80 samples), so
 * detection follows the received stream. A period the jitter buffer inserts only to grow its delay (nothing lost) is
 * left out of the tick's frame: 80 samples that tick for G.711, 0 for Opus. Called on the bridge's event loop; the
 * array is reused after the call returns.
 */
@FunctionalInterface
public interface PcmTap {

    void onFrame(short[] pcm, int offset, int length, long nowNanos);
}
