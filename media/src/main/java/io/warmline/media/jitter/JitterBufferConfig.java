package io.warmline.media.jitter;

/**
 * Settings of one {@link JitterBuffer}. Invalid values are refused, never repaired.
 *
 * @param clockRate RTP clock rate of the payload format (8000 for G.711, 48000 for Opus per RFC 7587)
 * @param frameMillis audio carried by each packet and played by each {@link JitterBuffer#poll} (the ptime)
 * @param minDelayMillis lower bound of the target delay
 * @param maxDelayMillis upper bound of the target delay
 * @param capacity most packets held at once; more are discarded oldest first
 * @param maxPayloadBytes largest payload accepted; larger ones are counted as malformed
 * @param concealFrames frames concealed when the buffer runs dry before it falls back to silence and waits for the
 *     next packet to start a new talkspurt
 * @param quantile fraction of packets that the target delay should get played on time (e.g. 0.95)
 * @param readAheadMillis how long before its playout time a frame may be polled: an owner that plays several frames
 *     per media tick (10 ms frames, 20 ms ticks) polls the later ones early, so each needs that much more buffered
 *     delay; 0 when every poll is made at its frame's playout time
 */
public record JitterBufferConfig(
        int clockRate,
        int frameMillis,
        int minDelayMillis,
        int maxDelayMillis,
        int capacity,
        int maxPayloadBytes,
        int concealFrames,
        double quantile,
        int readAheadMillis) {

    public JitterBufferConfig {
        require(clockRate >= 8000 && clockRate <= 96000, "clockRate must be 8000..96000: " + clockRate);
        require(frameMillis >= 10 && frameMillis <= 120, "frameMillis must be 10..120: " + frameMillis);
        require((long) clockRate * frameMillis % 1000 == 0, "frameMillis must be a whole number of samples");
        require(minDelayMillis >= 0, "minDelayMillis must be >= 0: " + minDelayMillis);
        require(maxDelayMillis >= minDelayMillis && maxDelayMillis <= 2000,
                "maxDelayMillis must be minDelayMillis..2000: " + maxDelayMillis);
        require(capacity >= 2 && capacity <= 1000, "capacity must be 2..1000: " + capacity);
        require(maxPayloadBytes >= 1 && maxPayloadBytes <= 65535, "maxPayloadBytes must be 1..65535");
        require(concealFrames >= 0 && concealFrames <= 50, "concealFrames must be 0..50: " + concealFrames);
        require(quantile > 0.5 && quantile < 1.0, "quantile must be in (0.5, 1): " + quantile);
        require(readAheadMillis >= 0 && readAheadMillis <= maxDelayMillis,
                "readAheadMillis must be 0..maxDelayMillis: " + readAheadMillis);
    }

    /** 20 ms frames polled one per 20 ms, delay 20..200 ms, 50 packets, 1500-byte payloads, 3 concealed frames, 95 %. */
    public static JitterBufferConfig voice(int clockRate) {
        return new JitterBufferConfig(clockRate, 20, 20, 200, 50, 1500, 3, 0.95, 0);
    }

    public int frameSamples() {
        return clockRate * frameMillis / 1000;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
