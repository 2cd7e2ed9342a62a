package io.warmline.media.record;

import io.warmline.media.bridge.FrameSink;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One WAV file being recorded: a bridge sink that gathers its frames into one-second buffers on the event loop and
 * hands each full buffer to the node's {@link RecordingWriter}, which writes and flushes it. Nothing here blocks.
 *
 * <p>A buffer the writer cannot take (its queue is full, or this recording's {@value #BUFFERS} buffers are all
 * still queued) is dropped and counted; the writer fills its time with silence so that the file keeps the call's
 * timeline. Ticks the bridge skipped after a stall (its frames' deadlines jump) are recorded as silence too, so a
 * file's length is the time it covered. After its maximum duration the recording closes itself.
 *
 * <p>{@link #onFrame} and {@link #close()} run on the bridge's event loop (not thread-safe); the counters may be
 * read from anywhere.
 */
public final class Recording implements FrameSink {
    /** Buffers per recording: one filling, the others queued or being written. */
    static final int BUFFERS = 3;

    private final RecordingWriter writer;
    private final Path file;
    private final int sampleRate;
    private final long maxSamples;
    /** Buffers back from the writer; at most {@link #BUFFERS} ever exist. Lock-free: polled on the event loop. */
    private final ConcurrentLinkedQueue<short[]> free = new ConcurrentLinkedQueue<>();

    // The event loop's side.
    private int allocated;
    private short[] current;
    private int filled;
    private long currentStart;
    private long lastDeadline = Long.MIN_VALUE;
    private volatile long samples;
    private volatile long droppedSamples;
    private volatile boolean closed;

    // The writer thread's side.
    WavRecorder wav;
    SeekableByteChannel channel;
    long written;
    boolean writerStopped;

    Recording(RecordingWriter writer, Path file, int sampleRate, long maxSamples) {
        this.writer = writer;
        this.file = file;
        this.sampleRate = sampleRate;
        this.maxSamples = maxSamples;
    }

    public Path file() {
        return file;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Samples of the timeline so far, including dropped ones. */
    public long samples() {
        return samples;
    }

    public long droppedSamples() {
        return droppedSamples;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void onFrame(short[] pcm, int offset, int length, int rate, long nowNanos) {
        if (closed) {
            return;
        }
        if (rate != sampleRate) {
            // A bridge mixes at one rate; a frame at another cannot go in this file.
            droppedSamples += length;
            return;
        }
        if (lastDeadline != Long.MIN_VALUE && length > 0) {
            long frameNanos = length * 1_000_000_000L / rate;
            long missing = (nowNanos - lastDeadline + frameNanos / 2) / frameNanos - 1;
            if (missing > 0) {
                append(null, 0, (int) Math.min(missing * length, maxSamples - samples));
            }
        }
        lastDeadline = nowNanos;
        append(pcm, offset, (int) Math.min(length, maxSamples - samples));
        if (samples >= maxSamples) {
            writer.maxDurationReached(this);
            close();
        }
    }

    /** Appends {@code length} samples of {@code pcm} from {@code at}, or of silence when {@code pcm} is null. */
    private void append(short[] pcm, int at, int length) {
        int left = length;
        while (left > 0) {
            if (current == null) {
                current = acquire();
                filled = 0;
                currentStart = samples;
                if (current == null) {
                    // No buffer free: the writer is behind; this second is lost.
                    int skip = Math.min(left, sampleRate - (int) (samples % sampleRate));
                    droppedSamples += skip;
                    samples += skip;
                    at += skip;
                    left -= skip;
                    if (samples % sampleRate == 0) {
                        writer.dropped();
                    }
                    continue;
                }
            }
            int n = Math.min(left, current.length - filled);
            if (pcm != null) {
                System.arraycopy(pcm, at, current, filled, n);
            } else {
                java.util.Arrays.fill(current, filled, filled + n, (short) 0);
            }
            filled += n;
            samples += n;
            at += n;
            left -= n;
            if (filled == current.length) {
                handOff();
            }
        }
    }

    /** Hands the partly filled buffer to the writer and has it close the file. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        handOff();
        writer.closeLater(this);
    }

    private void handOff() {
        if (current == null) {
            return;
        }
        if (filled > 0 && !writer.submit(this, current, filled, currentStart)) {
            droppedSamples += filled;
            free.offer(current);
        } else if (filled == 0) {
            free.offer(current);
        }
        current = null;
        filled = 0;
    }

    private short[] acquire() {
        short[] b = free.poll();
        if (b == null && allocated < BUFFERS) {
            allocated++;
            b = new short[sampleRate];
        }
        return b;
    }

    /** The writer is done with {@code buffer} (any thread). */
    void release(short[] buffer) {
        free.offer(buffer);
    }
}
