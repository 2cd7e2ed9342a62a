package io.warmline.media.play;

/**
 * A parsed WAV clip, decoded to 16-bit linear PCM (mono). Immutable: {@link #samples()} returns a copy;
 * players read through {@link #sample(int)}.
 */
public final class WavAudio {

    private final WavEncoding encoding;
    private final int sampleRate;
    private final short[] samples;

    WavAudio(WavEncoding encoding, int sampleRate, short[] samples) {
        this.encoding = encoding;
        this.sampleRate = sampleRate;
        this.samples = samples;
    }

    /** The encoding the file carried (the samples here are always linear). */
    public WavEncoding encoding() {
        return encoding;
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int length() {
        return samples.length;
    }

    public short sample(int index) {
        return samples[index];
    }

    public short[] samples() {
        return samples.clone();
    }

    public long durationMillis() {
        return samples.length * 1000L / sampleRate;
    }
}
