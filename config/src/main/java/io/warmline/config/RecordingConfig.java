package io.warmline.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Call recording: where files go and how they are bounded. Files are WAV, 16-bit linear PCM mono at the mix rate of
 * the bridge that records (8 kHz for carrier calls, 16 kHz for conversations). Which calls are recorded is said by
 * {@code targets.<name>.record} and {@code trunks.<name>.record}, or asked for through the API.
 *
 * @param directory absolute; null when recording is not configured (nothing may be recorded)
 * @param mode what a recording started by config (or by the API without a mode) writes
 * @param maxDuration a recording stops by itself after this much audio
 * @param minFreeBytes recordings stop while their file system has less free space than this
 * @param maxQueuedSeconds one-second buffers that may wait for the writer before new ones are dropped
 */
public record RecordingConfig(Path directory, RecordingMode mode, Duration maxDuration, long minFreeBytes,
        int maxQueuedSeconds) {

    public static final RecordingMode DEFAULT_MODE = RecordingMode.MIX;
    public static final Duration DEFAULT_MAX_DURATION = Duration.ofHours(4);
    public static final long DEFAULT_MIN_FREE_BYTES = 512L * 1024 * 1024;
    public static final int DEFAULT_MAX_QUEUED_SECONDS = 512;
    /** No {@code recording} section. */
    public static final RecordingConfig NONE = new RecordingConfig(null, DEFAULT_MODE, DEFAULT_MAX_DURATION,
            DEFAULT_MIN_FREE_BYTES, DEFAULT_MAX_QUEUED_SECONDS);

    public RecordingConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (directory != null && !directory.isAbsolute()) {
            throw new IllegalArgumentException("recording directory must be absolute: " + directory);
        }
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("maxDuration must be positive");
        }
        if (minFreeBytes < 0 || maxQueuedSeconds < 1) {
            throw new IllegalArgumentException("minFreeBytes >= 0 and maxQueuedSeconds >= 1");
        }
    }

    public boolean enabled() {
        return directory != null;
    }
}
