package io.warmline.media.play;

import io.warmline.media.resample.Resampler;

/**
 * Plays a {@link WavAudio} clip at the bridge rate, once or looped, resampled through a continuous
 * {@link Resampler} (so a loop's wrap-around and frame joins do not click). {@link #stop(int)} fades out linearly
 * over the given time and then finishes. Allocates nothing per frame. Not thread-safe.
 */
public final class WavPlayer implements FrameSource {

    private final WavAudio clip;
    private final boolean loop;
    private final int frameSamples;
    private final int inputPerFrame;
    private final Resampler resampler;
    private final short[] input;
    private int position;
    /** Frames of silence fed after the clip's end so the filter's delay line empties. */
    private int tailFrames = 1;
    private boolean finished;
    private int fadeTotal;
    private int fadeLeft = -1;
    private long loops;

    public WavPlayer(WavAudio clip, int bridgeRate, boolean loop) {
        if (bridgeRate != 8000 && bridgeRate != 16000 && bridgeRate != 48000) {
            throw new IllegalArgumentException("bridge rate must be 8000, 16000 or 48000 Hz: " + bridgeRate);
        }
        if (loop && clip.length() == 0) {
            throw new IllegalArgumentException("cannot loop an empty clip");
        }
        this.clip = clip;
        this.loop = loop;
        this.frameSamples = bridgeRate / 50;
        this.inputPerFrame = clip.sampleRate() / 50;
        this.resampler = new Resampler(clip.sampleRate(), bridgeRate);
        this.input = new short[inputPerFrame];
    }

    @Override
    public int frameSamples() {
        return frameSamples;
    }

    /** The input's rate, or the bridge rate if lower: an 8 kHz clip is telephone band. */
    @Override
    public int audioRate() {
        return Math.min(clip.sampleRate(), frameSamples * 50);
    }

    @Override
    public boolean readFrame(short[] out, int offset) {
        java.util.Objects.checkFromIndexSize(offset, frameSamples, out.length);
        if (finished) {
            java.util.Arrays.fill(out, offset, offset + frameSamples, (short) 0);
            return false;
        }
        boolean clipEnded = fill();
        resampler.process(input, 0, inputPerFrame, out, offset);
        if (fadeLeft >= 0) {
            for (int i = 0; i < frameSamples; i++) {
                out[offset + i] = (short) (out[offset + i] * (long) Math.max(fadeLeft, 0) / fadeTotal);
                fadeLeft = Math.max(fadeLeft - 1, 0);
            }
            if (fadeLeft == 0) {
                finished = true;
            }
        }
        if (clipEnded && tailFrames-- == 0) {
            finished = true;
        }
        return true;
    }

    /** Copies the next frame's worth of input, wrapping when looping; true once a single-shot clip is used up. */
    private boolean fill() {
        int i = 0;
        while (i < inputPerFrame) {
            if (position == clip.length()) {
                if (!loop) {
                    java.util.Arrays.fill(input, i, inputPerFrame, (short) 0);
                    return true;
                }
                position = 0;
                loops++;
            }
            input[i++] = clip.sample(position++);
        }
        return !loop && position == clip.length();
    }

    /** Fades out over {@code fadeMillis} (0: silent from the next frame) and then finishes. */
    public void stop(int fadeMillis) {
        if (fadeMillis < 0 || fadeMillis > 10_000) {
            throw new IllegalArgumentException("fade must be 0..10000 ms: " + fadeMillis);
        }
        if (finished || fadeLeft >= 0) {
            return;
        }
        if (fadeMillis == 0) {
            finished = true;
            return;
        }
        fadeTotal = frameSamples * fadeMillis / 20;
        fadeLeft = fadeTotal;
    }

    public boolean finished() {
        return finished;
    }

    /** Times a looping clip has wrapped around. */
    public long loops() {
        return loops;
    }
}
