package io.warmline.bridge.recording;

import io.warmline.config.RecordingConfig;
import io.warmline.config.RecordingMode;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.record.Recording;
import io.warmline.media.record.RecordingWriter;
import io.warmline.media.record.RecordingWriterStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's call recording: the configured directory and bounds, the file names, and the one
 * {@link RecordingWriter} all recordings share. Disabled when the config has no {@code recording} section; then
 * nothing can be recorded. Thread-safe.
 */
public final class Recorder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Recorder.class);
    private static final Recorder DISABLED = new Recorder(RecordingConfig.NONE, null, null, Clock.systemUTC());

    private final RecordingConfig config;
    private final RecordingFiles files;
    private final RecordingWriter writer;
    private final Clock clock;

    private Recorder(RecordingConfig config, RecordingFiles files, RecordingWriter writer, Clock clock) {
        this.config = config;
        this.files = files;
        this.writer = writer;
        this.clock = clock;
    }

    public static Recorder disabled() {
        return DISABLED;
    }

    /**
     * Creates the directory if needed, proves it writable by creating and deleting a file in it, and starts the
     * writer. A disabled config gives {@link #disabled()}.
     *
     * @param clock the wall clock of file names (UTC)
     * @throws IOException naming the directory, when it cannot be created or written
     */
    public static Recorder start(RecordingConfig config, Clock clock) throws IOException {
        Objects.requireNonNull(config, "config");
        if (!config.enabled()) {
            return DISABLED;
        }
        Path dir = config.directory();
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".warmline-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw new IOException("recording.directory " + dir + " cannot be created or written: " + e, e);
        }
        log.info("Recording to {} (default mode {}, at most {} min per call, stop below {} MB free)", dir,
                config.mode().key(), config.maxDuration().toMinutes(), config.minFreeBytes() >> 20);
        return new Recorder(config, new RecordingFiles(dir),
                RecordingWriter.start(config.maxQueuedSeconds(), config.minFreeBytes()), clock);
    }

    public boolean enabled() {
        return writer != null;
    }

    public RecordingMode defaultMode() {
        return config.mode();
    }

    public RecordingFiles files() {
        return files;
    }

    /**
     * Starts recording {@code bridge} (on its event loop): the returned recording adds its sinks as its owner tells
     * it the bridge's legs ({@link ConversationRecording#hear}).
     *
     * @param mode null: the configured default
     * @throws IllegalStateException when recording is disabled
     */
    public ConversationRecording start(MediaBridge bridge, String conversationId, RecordingMode mode) {
        if (!enabled()) {
            throw new IllegalStateException("recording is not configured");
        }
        return new ConversationRecording(this, bridge, conversationId, mode != null ? mode : config.mode(),
                clock.instant());
    }

    Recording open(String conversationId, Instant start, String part, int rate) {
        return writer.open(files.file(conversationId, start, part), rate, config.maxDuration());
    }

    Instant now() {
        return clock.instant();
    }

    /** The writer's counters (zero when disabled). */
    public RecordingWriterStats stats() {
        return writer != null ? writer.stats() : new RecordingWriterStats(0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Waits, bounded, for everything queued to be written (tests; the drain). */
    public boolean awaitWritten(Duration wait) throws InterruptedException {
        return writer == null || writer.awaitWritten(wait);
    }

    /** Writes what is queued and closes the files of stopped recordings, waiting at most a few seconds. */
    @Override
    public void close() {
        if (writer != null && !writer.close(Duration.ofSeconds(5))) {
            log.warn("Recording writer did not finish within 5 s; files are valid up to their last flush");
        }
    }
}
