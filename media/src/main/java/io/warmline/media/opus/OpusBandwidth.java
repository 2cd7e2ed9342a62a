package io.warmline.media.opus;

/** The audio bandwidths of Opus (RFC 6716 §2, Table 1), used as the most the encoder may code. */
public enum OpusBandwidth {
    /** 4 kHz: all a PSTN source carries. */
    NARROWBAND(4000),
    MEDIUMBAND(6000),
    /** 8 kHz. */
    WIDEBAND(8000),
    SUPERWIDEBAND(12000),
    FULLBAND(20000);

    private final int audioHz;

    OpusBandwidth(int audioHz) {
        this.audioHz = audioHz;
    }

    /** Highest audio frequency coded. */
    public int audioHz() {
        return audioHz;
    }
}
