package io.warmline.media.play;

/** The sample encodings a WAV file may carry here, with their {@code wFormatTag} and bits per sample. */
public enum WavEncoding {
    PCM_16(1, 16),
    ALAW(6, 8),
    ULAW(7, 8);

    private final int formatTag;
    private final int bitsPerSample;

    WavEncoding(int formatTag, int bitsPerSample) {
        this.formatTag = formatTag;
        this.bitsPerSample = bitsPerSample;
    }

    public int formatTag() {
        return formatTag;
    }

    public int bitsPerSample() {
        return bitsPerSample;
    }

    public int bytesPerSample() {
        return bitsPerSample / 8;
    }

    static WavEncoding ofTag(int tag) {
        for (WavEncoding e : values()) {
            if (e.formatTag == tag) {
                return e;
            }
        }
        return null;
    }
}
