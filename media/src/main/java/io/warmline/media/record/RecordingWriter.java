package io.warmline.media.record;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one recording writer: a thread that does every blocking file operation of every {@link Recording}
 * (create, write, flush, close), fed by a queue. Event loops only hand it full one-second buffers; when it falls
 * behind and {@code maxQueuedChunks} buffers are waiting, further buffers are dropped and counted (a gap of silence
 * in the file), so a slow disk never blocks a media tick.
 *
 * <p>Each buffer is written and the WAV header patched before the next one ({@link WavRecorder#flush()}), so a
 * crash of the process loses the buffer being filled (at most one second) plus any buffers still queued.
 *
 * <p>Thread-safe: {@link #open} and the recordings' hand-offs may come from any event loop. A hand-off takes no lock
 * (a lock-free queue and an unpark of the writer thread), so an event loop never waits for the writer.
 */
public final class RecordingWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordingWriter.class);

    public static final int DEFAULT_MAX_QUEUED_CHUNKS = 512;
    private static final short[] SILENCE = new short[8000];

    private final RecordingStorage storage;
    private final int maxQueuedChunks;
    private final long minFreeBytes;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedChunks = new AtomicInteger();
    private final Thread thread;
    private volatile boolean closing;

    private final LongAdder filesOpened = new LongAdder();
    private final LongAdder filesFailed = new LongAdder();
    private final LongAdder chunksWritten = new LongAdder();
    private final LongAdder chunksDropped = new LongAdder();
    private final LongAdder stoppedLowSpace = new LongAdder();
    private final LongAdder stoppedMaxDuration = new LongAdder();
    private final LongAdder writeErrors = new LongAdder();

    private RecordingWriter(RecordingStorage storage, int maxQueuedChunks, long minFreeBytes) {
        if (maxQueuedChunks < 1) {
            throw new IllegalArgumentException("maxQueuedChunks must be at least 1: " + maxQueuedChunks);
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes must not be negative: " + minFreeBytes);
        }
        this.storage = storage;
        this.maxQueuedChunks = maxQueuedChunks;
        this.minFreeBytes = minFreeBytes;
        this.thread = new Thread(this::run, "warmline-recorder");
        thread.setDaemon(true);
    }

    /**
     * Starts the writer thread on the file system.
     *
     * @param maxQueuedChunks how many one-second buffers may wait before new ones are dropped
     * @param minFreeBytes a recording stops (file kept, valid up to there) when its file system has less free
     */
    public static RecordingWriter start(int maxQueuedChunks, long minFreeBytes) {
        return start(RecordingStorage.FILES, maxQueuedChunks, minFreeBytes);
    }

    static RecordingWriter start(RecordingStorage storage, int maxQueuedChunks, long minFreeBytes) {
        RecordingWriter w = new RecordingWriter(storage, maxQueuedChunks, minFreeBytes);
        w.thread.start();
        return w;
    }

    /**
     * Starts a recording into {@code file} (created by the writer, with its directories; it must not exist). The
     * returned recording is a {@link io.warmline.media.bridge.FrameSink} to add to a bridge; call
     * {@link Recording#close()} when done.
     *
     * @param sampleRate 8000, 16000 or 48000 (the frames' rate)
     * @param maxDuration the recording stops by itself after this much audio
     */
    public Recording open(Path file, int sampleRate, Duration maxDuration) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(maxDuration, "maxDuration");
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 48000) {
            throw new IllegalArgumentException("sample rate must be 8000, 16000 or 48000 Hz: " + sampleRate);
        }
        long maxSamples = Math.max(1, maxDuration.toMillis()) * sampleRate / 1000;
        Recording r = new Recording(this, file, sampleRate, maxSamples);
        control(() -> create(r));
        return r;
    }

    public RecordingWriterStats stats() {
        return new RecordingWriterStats(filesOpened.sum(), filesFailed.sum(), chunksWritten.sum(),
                chunksDropped.sum(), stoppedLowSpace.sum(), stoppedMaxDuration.sum(), writeErrors.sum(),
                queuedChunks.get());
    }

    /**
     * Stops taking buffers, writes what is queued (closing the files whose recordings were closed), and waits up to
     * {@code wait} for that. False when the wait was not enough; files stay valid up to their last flush.
     */
    public boolean close(Duration wait) {
        closing = true;
        enqueue(STOP);
        try {
            thread.join(Math.max(1, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    // Called by a recording on its event loop.

    /** Queues a buffer of {@code length} samples starting at sample {@code start} of the recording; false: dropped. */
    boolean submit(Recording r, short[] buffer, int length, long start) {
        if (closing) {
            chunksDropped.increment();
            return false;
        }
        if (queuedChunks.incrementAndGet() > maxQueuedChunks) {
            queuedChunks.decrementAndGet();
            chunksDropped.increment();
            return false;
        }
        enqueue(() -> {
            queuedChunks.decrementAndGet();
            write(r, buffer, length, start);
        });
        return true;
    }

    /** A buffer that could not be filled (none free): counted like a refused one. */
    void dropped() {
        chunksDropped.increment();
    }

    void closeLater(Recording r) {
        control(() -> finish(r));
    }

    void maxDurationReached(Recording r) {
        stoppedMaxDuration.increment();
        log.info("Recording {} reached its maximum duration; stopped", r.file().getFileName());
    }

    /** Open and close tasks are never dropped; there are at most two per recording. */
    private void control(Runnable task) {
        enqueue(task);
    }

    private void enqueue(Runnable task) {
        queue.offer(task);
        LockSupport.unpark(thread);
    }

    // On the writer thread.

    private static final Runnable STOP = () -> { };

    private void run() {
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                // An enqueue after the poll leaves its unpark's permit: this park returns at once.
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    return;
                }
                continue;
            }
            if (task == STOP) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("Recording writer task failed", e);
            }
        }
    }

    private void create(Recording r) {
        if (!enoughSpace(r)) {
            return;
        }
        SeekableByteChannel channel = null;
        try {
            channel = storage.create(r.file());
            r.wav = new WavRecorder(channel, r.sampleRate());
            r.channel = channel;
            filesOpened.increment();
            log.info("Recording to {}", r.file());
        } catch (IOException | RuntimeException e) {
            filesFailed.increment();
            r.writerStopped = true;
            closeQuietly(channel);
            log.warn("Cannot create recording file {}: {}", r.file(), e.toString());
        }
    }

    private void write(Recording r, short[] buffer, int length, long start) {
        try {
            if (r.wav == null || r.writerStopped || !enoughSpace(r)) {
                return;
            }
            long gap = start - r.written;
            while (gap > 0) {
                // buffers dropped before this one: their time stays in the file as silence
                int n = (int) Math.min(gap, SILENCE.length);
                r.wav.write(SILENCE, 0, n);
                gap -= n;
                r.written += n;
            }
            r.wav.write(buffer, 0, length);
            r.wav.flush();
            r.written += length;
            chunksWritten.increment();
        } catch (IOException e) {
            writeErrors.increment();
            log.warn("Recording {} stopped by a write error: {}", r.file(), e.toString());
            finish(r);
        } finally {
            r.release(buffer);
        }
    }

    private boolean enoughSpace(Recording r) {
        if (minFreeBytes == 0) {
            return true;
        }
        long usable;
        try {
            usable = storage.usableBytes(r.file());
        } catch (IOException e) {
            usable = -1;
        }
        if (usable >= minFreeBytes) {
            return true;
        }
        stoppedLowSpace.increment();
        log.warn("Recording {} stopped: {} free on its file system, below the minimum of {} MB", r.file(),
                usable < 0 ? "unknown space" : usable / (1024 * 1024) + " MB", minFreeBytes / (1024 * 1024));
        finish(r);
        return false;
    }

    private void finish(Recording r) {
        boolean wasOpen = r.channel != null;
        r.writerStopped = true;
        if (r.wav != null) {
            try {
                r.wav.close();
            } catch (IOException e) {
                log.warn("Recording {}: last flush failed: {}", r.file(), e.toString());
            }
        }
        closeQuietly(r.channel);
        r.channel = null;
        if (wasOpen) {
            log.info("Recording {} closed: {} s of audio", r.file(),
                    String.format(java.util.Locale.ROOT, "%.1f", r.written / (double) r.sampleRate()));
        }
    }

    private static void closeQuietly(SeekableByteChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                log.debug("Closing a recording file failed", e);
            }
        }
    }

    /** Waits up to {@code wait} until everything queued before this call is written; false when the time ran out. */
    public boolean awaitWritten(Duration wait) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        control(done::countDown);
        return done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
