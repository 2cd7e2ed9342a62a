package io.warmline.media.opus;

/** Reading an Opus packet's table-of-contents byte (RFC 6716 §3.1) without decoding it. */
public final class OpusPackets {

    /** Largest audio duration of one packet, in 48 kHz samples (120 ms, RFC 6716 §3.2.5). */
    public static final int MAX_SAMPLES_48K = 5760;

    private OpusPackets() {
    }

    /**
     * Duration of the packet in samples at {@code sampleRate}, or -1 if the TOC (and, for code 3, the frame count
     * byte) is malformed: empty packet, missing count byte, zero frames, or more than 120 ms (RFC 6716 §3.2.5).
     */
    public static int samples(byte[] packet, int offset, int length, int sampleRate) {
        if (!OpusConfig.validRate(sampleRate)) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
        }
        if (length < 1) {
            return -1;
        }
        int toc = packet[offset] & 0xFF;
        int frames;
        switch (toc & 0x3) {
            case 0 -> frames = 1;
            case 1, 2 -> frames = 2;
            default -> {
                if (length < 2) {
                    return -1;
                }
                frames = packet[offset + 1] & 0x3F;
            }
        }
        int total = frames * frameSamples48k(toc >>> 3);
        if (frames == 0 || total > MAX_SAMPLES_48K) {
            return -1;
        }
        return total * (sampleRate / 400) / 120;
    }

    /**
     * The lowest of 8000, 16000 and 48000 that carries the audio band a packet codes, from its TOC configuration
     * (RFC 6716 §3.1, Table 2): narrowband 8000, mediumband and wideband 16000, super-wideband and fullband 48000;
     * -1 for an empty packet.
     */
    public static int audioRate(byte[] packet, int offset, int length) {
        if (length < 1) {
            return -1;
        }
        int config = (packet[offset] & 0xFF) >>> 3;
        int bandwidth;
        if (config < 12) {
            bandwidth = config >>> 2;                       // SILK: NB, MB, WB
        } else if (config < 16) {
            bandwidth = config < 14 ? 3 : 4;                // hybrid: SWB, FB
        } else {
            bandwidth = CELT_BANDWIDTH[(config - 16) >>> 2]; // CELT: NB, WB, SWB, FB
        }
        return bandwidth == 0 ? 8000 : bandwidth <= 2 ? 16000 : 48000;
    }

    /** Bandwidth index (0 NB .. 4 FB) of the CELT-only configurations 16-19, 20-23, 24-27, 28-31. */
    private static final int[] CELT_BANDWIDTH = {0, 2, 3, 4};
    private static final int[] SILK_FRAME = {480, 960, 1920, 2880};
    private static final int[] CELT_FRAME = {120, 240, 480, 960};

    /** Frame duration in 48 kHz samples for a TOC configuration number (RFC 6716 §3.1, Table 2). */
    static int frameSamples48k(int config) {
        if (config < 12) {
            return SILK_FRAME[config & 3];
        }
        if (config < 16) {
            return (config & 1) == 0 ? 480 : 960;
        }
        return CELT_FRAME[config & 3];
    }
}
