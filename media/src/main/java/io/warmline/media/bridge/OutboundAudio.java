package io.warmline.media.bridge;

/**
 * Sees, and may overwrite in place, the frame a leg is about to encode: the leg's mix, already resampled to the
 * rate its encoder takes ({@code rate}: 8000 for G.711; the Opus encoder's input rate). In-band DTMF is sent by
 * writing tones here. Called once per tick on the bridge's event loop.
 */
@FunctionalInterface
public interface OutboundAudio {

    void process(short[] pcm, int offset, int length, int rate, long nowNanos);
}
