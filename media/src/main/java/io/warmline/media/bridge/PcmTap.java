package io.warmline.media.bridge;

/**
 * Sees each decoded 20 ms frame of one leg at 8 kHz (160 samples), concealed frames included and silence as zeros,
 * once per tick: what a Goertzel DTMF detector or a voice-activity detector needs. Called on the bridge's event
 * loop; the array is reused after the call returns.
 */
@FunctionalInterface
public interface PcmTap {

    void onFrame(short[] pcm, int offset, int length, long nowNanos);
}
