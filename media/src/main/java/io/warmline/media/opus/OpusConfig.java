package io.warmline.media.opus;

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
 */
public record OpusConfig(
        int sampleRate,
        int frameMillis,
        int bitrate,
        int complexity,
        boolean inbandFec,
        int expectedLossPercent,
        boolean dtx) {

    public OpusConfig {
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

    /** Voice defaults: 20 ms, 24 kbit/s, complexity 5, FEC for 5 % loss, no DTX. */
    public static OpusConfig voice(int sampleRate) {
        return new OpusConfig(sampleRate, 20, 24000, 5, true, 5, false);
    }

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
