package io.warmline.media.opus;

import java.util.Objects;

/**
 * Encoder settings for one Opus voice stream (mono, VOIP application). Invalid values are refused, never repaired.
 *
 * @param sampleRate PCM rate handed to the encoder: 8000, 12000, 16000, 24000 or 48000. The RTP clock is 48 kHz
 *     whatever this is (RFC 7587 §4.1); a telephone-band source is cheapest to encode at 8 or 16 kHz
 * @param frameMillis 10, 20, 40 or 60
 * @param bitrate target bits per second, 6000..510000
 * @param complexity 0 (cheapest) .. 10
 * @param inbandFec whether to add in-band forward error correction (RFC 7587 §3.3, {@code useinbandfec})
 * @param expectedLossPercent packet loss the FEC is sized for, 0..100
 * @param dtx discontinuous transmission: in silence the encoder asks for nothing to be sent (RFC 7587 §3.1.3)
 * @param maxBandwidth the widest audio band the encoder may code (it never codes above half the sample rate)
 */
public record OpusConfig(
        int sampleRate,
        int frameMillis,
        int bitrate,
        int complexity,
        boolean inbandFec,
        int expectedLossPercent,
        boolean dtx,
        OpusBandwidth maxBandwidth) {

    private static final int TELEPHONE_BITRATE = 20000;

    public OpusConfig {
        Objects.requireNonNull(maxBandwidth, "maxBandwidth");
        if (!validRate(sampleRate)) {
            throw new IllegalArgumentException("sampleRate must be 8000, 12000, 16000, 24000 or 48000: " + sampleRate);
        }
        if (frameMillis != 10 && frameMillis != 20 && frameMillis != 40 && frameMillis != 60) {
            throw new IllegalArgumentException("frameMillis must be 10, 20, 40 or 60: " + frameMillis);
        }
        if (bitrate < 6000 || bitrate > 510000) {
            throw new IllegalArgumentException("bitrate must be 6000..510000: " + bitrate);
        }
        if (complexity < 0 || complexity > 10) {
            throw new IllegalArgumentException("complexity must be 0..10: " + complexity);
        }
        if (expectedLossPercent < 0 || expectedLossPercent > 100) {
            throw new IllegalArgumentException("expectedLossPercent must be 0..100: " + expectedLossPercent);
        }
    }

    /** Settings without a bandwidth limit beyond the sample rate's. */
    public OpusConfig(int sampleRate, int frameMillis, int bitrate, int complexity, boolean inbandFec,
                      int expectedLossPercent, boolean dtx) {
        this(sampleRate, frameMillis, bitrate, complexity, inbandFec, expectedLossPercent, dtx,
                OpusBandwidth.FULLBAND);
    }

    /** Voice defaults: 20 ms, 24 kbit/s, complexity 5, FEC for 5 % loss, no DTX. */
    public static OpusConfig voice(int sampleRate) {
        return new OpusConfig(sampleRate, 20, 24000, 5, true, 5, false);
    }

    /**
     * For audio from the telephone network (nothing above 4 kHz; PCMU/PCMA legs, or a mix of them) sent to an Opus
     * leg: the encoder is fed 8 kHz PCM and codes narrowband SILK. The RTP clock stays 48 kHz (RFC 7587 §4.1).
     * Chosen and measured in docs/performance.md ("Opus settings").
     */
    public static OpusConfig telephoneBand() {
        return new OpusConfig(8000, 20, TELEPHONE_BITRATE, 2, true, 5, false, OpusBandwidth.NARROWBAND);
    }

    /**
     * For wideband speech (a browser microphone heard by another browser): the encoder is fed 16 kHz PCM and codes
     * wideband SILK (up to 8 kHz of audio). Chosen and measured in docs/performance.md ("Opus settings").
     */
    public static OpusConfig wideband() {
        return new OpusConfig(16000, 20, 28000, 2, true, 5, false, OpusBandwidth.WIDEBAND);
    }

    /**
     * These settings narrowed for a listener that hears only telephone-band audio: narrowband SILK, at most
     * {@link #telephoneBand()}'s bitrate, the rest (input rate, complexity, FEC, DTX) unchanged. The input rate stays
     * so that one encoder can switch between the two without a new stream (see {@link OpusVoiceEncoder#narrow}).
     */
    public OpusConfig narrowed() {
        return new OpusConfig(sampleRate, frameMillis, Math.min(bitrate, TELEPHONE_BITRATE), complexity, inbandFec,
                expectedLossPercent, dtx, OpusBandwidth.NARROWBAND);
    }

    /**
     * The settings of a second encoder fed 8 kHz PCM for the ticks in which a leg of these settings hears only
     * telephone band: {@link #narrowed()} at 8 kHz input, at complexity {@value #NARROW_INPUT_COMPLEXITY}. On the PSTN
     * recording complexity 0 and 2 keep the same waveform quality at 20 kbit/s (segmental SNR 11.40 against 11.33 dB;
     * 9.44 against 9.47 dB with FEC for 5 % loss) and 0 costs 10 % less (58 against 65 µs per frame); see
     * docs/performance.md, "An encoder at 8 kHz input for 8 kHz groups".
     */
    public OpusConfig narrowedAt8kHz() {
        return new OpusConfig(8000, frameMillis, Math.min(bitrate, TELEPHONE_BITRATE),
                Math.min(complexity, NARROW_INPUT_COMPLEXITY), inbandFec, expectedLossPercent, dtx,
                OpusBandwidth.NARROWBAND);
    }

    private static final int NARROW_INPUT_COMPLEXITY = 0;

    public int frameSamples() {
        return sampleRate / 1000 * frameMillis;
    }

    /** RTP timestamp advance per packet: the RTP clock is always 48 kHz (RFC 7587 §4.1). */
    public int rtpTimestampIncrement() {
        return 48 * frameMillis;
    }

    static boolean validRate(int rate) {
        return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
    }
}
