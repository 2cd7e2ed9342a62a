package io.warmline.media.record;

/**
 * The writer's counters since start: what an operator alarms on.
 *
 * @param filesOpened recordings whose file was created
 * @param filesFailed recordings whose file could not be created (directory gone, permissions, name taken)
 * @param chunksWritten one-second (or final, shorter) buffers written and flushed
 * @param chunksDropped buffers lost because the writer had fallen behind (queue full or no free buffer): each is a
 *     gap of silence in its file
 * @param stoppedLowSpace recordings stopped because free space fell below the configured minimum
 * @param stoppedMaxDuration recordings stopped at the configured maximum duration
 * @param writeErrors recordings stopped by an I/O error while writing
 * @param queuedChunks buffers waiting for the writer now
 */
public record RecordingWriterStats(long filesOpened, long filesFailed, long chunksWritten, long chunksDropped,
        long stoppedLowSpace, long stoppedMaxDuration, long writeErrors, int queuedChunks) {}
