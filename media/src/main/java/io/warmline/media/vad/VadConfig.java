package io.warmline.media.vad;

/**
 * Thresholds of a {@link VoiceActivityDetector}. Invalid values are refused, never repaired.
 *
 * @param frameMillis analysis frame, 10, 20 or 30 ms; every {@code process} call passes one frame
 * @param marginDb how far above the noise floor a frame's level must be to count as active
 * @param minLevelDbfs quietest level (dBFS, RMS) that can be speech at all
 * @param noiseWindowMillis the noise floor is the lowest frame level over this window (minimum statistics), so
 *     stationary noise and long tones become floor; speech, with its pauses between syllables, does not
 * @param maxZeroCrossingRate active frames crossing zero more often than this (per sample, 0..1) are hiss, not voice
 * @param steadyDistance frames whose band-energy distribution differs from the previous frame's by at most this much
 *     (total variation distance, 0..2) are steady
 * @param maxSteadyMillis an unchanging sound lasting longer than this is a tone, hum or music note, not speech
 * @param onsetMillis window in which the onset of speech is judged
 * @param onsetFrames frames within that window that must be active, not tonal, and changing (speech keeps moving
 *     its spectrum) before "speech started" is reported
 * @param hangoverMillis silence after the last speech frame before "speech ended" is reported
 */
public record VadConfig(
        int frameMillis,
        double marginDb,
        double minLevelDbfs,
        int noiseWindowMillis,
        double maxZeroCrossingRate,
        double steadyDistance,
        int maxSteadyMillis,
        int onsetMillis,
        int onsetFrames,
        int hangoverMillis) {

    public VadConfig {
        require(frameMillis == 10 || frameMillis == 20 || frameMillis == 30, "frameMillis must be 10, 20 or 30");
        require(marginDb >= 0 && marginDb <= 40, "marginDb must be 0..40: " + marginDb);
        require(minLevelDbfs >= -90 && minLevelDbfs <= 0, "minLevelDbfs must be -90..0: " + minLevelDbfs);
        require(noiseWindowMillis >= 200 && noiseWindowMillis <= 30000, "noiseWindowMillis must be 200..30000");
        require(maxZeroCrossingRate > 0 && maxZeroCrossingRate <= 1, "maxZeroCrossingRate must be in (0, 1]");
        require(steadyDistance >= 0 && steadyDistance <= 2, "steadyDistance must be 0..2: " + steadyDistance);
        require(maxSteadyMillis >= frameMillis && maxSteadyMillis <= 10000, "maxSteadyMillis must be frame..10000");
        require(onsetMillis >= frameMillis && onsetMillis <= 2000, "onsetMillis must be frame..2000");
        require(onsetFrames >= 1 && onsetFrames <= onsetMillis / frameMillis,
                "onsetFrames must be 1..onsetMillis/frameMillis: " + onsetFrames);
        require(hangoverMillis >= frameMillis && hangoverMillis <= 10000, "hangoverMillis must be frame..10000");
    }

    /** Defaults for telephone speech in 20 ms frames, with 500 ms of hangover. */
    public static VadConfig defaults() {
        return new VadConfig(20, 10, -55, 2000, 0.35, 0.2, 200, 200, 8, 500);
    }

    /** The same thresholds with another hangover (for "the prompt has finished" waits). */
    public VadConfig withHangoverMillis(int millis) {
        return new VadConfig(frameMillis, marginDb, minLevelDbfs, noiseWindowMillis, maxZeroCrossingRate,
                steadyDistance, maxSteadyMillis, onsetMillis, onsetFrames, millis);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
