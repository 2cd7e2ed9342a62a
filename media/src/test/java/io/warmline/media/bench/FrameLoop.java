package io.warmline.media.bench;

/** A signal read frame by frame, starting over at its end. */
final class FrameLoop {

    private final short[] samples;
    private final int frame;
    private int position;

    FrameLoop(short[] samples, int frame) {
        if (samples.length < frame) {
            throw new IllegalArgumentException("signal shorter than one frame");
        }
        this.samples = samples;
        this.frame = frame;
    }

    short[] samples() {
        return samples;
    }

    /** Offset of the next frame. */
    int next() {
        int p = position;
        position += frame;
        if (position + frame > samples.length) {
            position = 0;
        }
        return p;
    }
}
