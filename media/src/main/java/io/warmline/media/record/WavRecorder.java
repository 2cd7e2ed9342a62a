package io.warmline.media.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;

/**
 * Records 16-bit mono PCM (one participant's audio, or a mix) as a WAV file through a channel the caller provides.
 * Samples are buffered and written at least once per {@code flushMillis} of audio (at most one second); each flush
 * first appends the samples and then patches the RIFF and {@code data} sizes, so that after a crash the file holds a
 * valid WAV of everything up to the last flush (any bytes after it are ignored by readers), i.e. at most one second
 * of audio is lost.
 *
 * <p>Writing is blocking I/O on the channel: the owner decides where it runs (a file channel on the bridge's event
 * loop costs one write per second; a channel that queues to a writer thread keeps the loop free). The recorder does
 * not close the channel. Steady-state writes allocate nothing. Not thread-safe.
 */
public final class WavRecorder {

    public static final int HEADER_BYTES = 44;
    public static final int MAX_FLUSH_MILLIS = 1000;
    /** The RIFF size field is 32 bits: data may not exceed 4 GiB minus the rest of the header. */
    static final long MAX_DATA_BYTES = 0xFFFF_FFFFL - (HEADER_BYTES - 8);

    private final SeekableByteChannel channel;
    private final int sampleRate;
    private final long start;
    private final ByteBuffer pending;
    private final ByteBuffer patch = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    private long dataBytes;
    private long flushes;
    private long droppedSamples;
    private boolean closed;
    private IOException failure;

    /** Flushes every second of audio. */
    public WavRecorder(SeekableByteChannel channel, int sampleRate) throws IOException {
        this(channel, sampleRate, MAX_FLUSH_MILLIS);
    }

    /**
     * Writes the header at the channel's current position (normally 0 of an empty file).
     *
     * @param flushMillis 20..1000: how much audio may be buffered before it is written
     */
    public WavRecorder(SeekableByteChannel channel, int sampleRate, int flushMillis) throws IOException {
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 48000) {
            throw new IllegalArgumentException("sample rate must be 8000, 16000 or 48000 Hz: " + sampleRate);
        }
        if (flushMillis < 20 || flushMillis > MAX_FLUSH_MILLIS) {
            throw new IllegalArgumentException("flush interval must be 20..1000 ms: " + flushMillis);
        }
        this.channel = channel;
        this.sampleRate = sampleRate;
        this.pending = ByteBuffer.allocate(sampleRate * flushMillis / 1000 * 2).order(ByteOrder.LITTLE_ENDIAN);
        this.start = channel.position();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(fourcc("RIFF")).putInt(HEADER_BYTES - 8).putInt(fourcc("WAVE"))
                .putInt(fourcc("fmt ")).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2)
                .putShort((short) 2).putShort((short) 16)
                .putInt(fourcc("data")).putInt(0)
                .flip();
        writeFully(header);
    }

    /** Appends {@code length} samples; writes them out whenever a flush interval's worth has gathered. */
    public void write(short[] pcm, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, pcm.length);
        if (closed) {
            throw new IllegalStateException("recorder closed");
        }
        checkNotFailed();
        for (int i = 0; i < length; i++) {
            if (dataBytes + pending.position() + 2 > MAX_DATA_BYTES) {
                droppedSamples += length - i;
                return;
            }
            pending.putShort(pcm[offset + i]);
            if (!pending.hasRemaining()) {
                flush();
            }
        }
    }

    /** Writes buffered samples, then makes the header describe everything written so far. */
    public void flush() throws IOException {
        checkNotFailed();
        if (pending.position() == 0) {
            return;
        }
        try {
            pending.flip();
            int bytes = pending.remaining();
            channel.position(start + HEADER_BYTES + dataBytes);
            writeFully(pending);
            pending.clear();
            dataBytes += bytes;
            patch(4, HEADER_BYTES - 8 + dataBytes);
            patch(40, dataBytes);
            channel.position(start + HEADER_BYTES + dataBytes);
            flushes++;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** After an I/O error the file ends at the last good flush; the recorder refuses to go on (fail-stop). */
    private void checkNotFailed() throws IOException {
        if (failure != null) {
            throw new IOException("recorder stopped after an earlier write error", failure);
        }
    }

    /** The I/O error that stopped this recorder, or null. */
    public IOException failure() {
        return failure;
    }

    /** Flushes; further writes are refused. The channel stays open. */
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            flush();
        }
    }

    private void patch(int at, long value) throws IOException {
        patch.clear();
        patch.putInt((int) value).flip();
        channel.position(start + at);
        writeFully(patch);
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Samples made durable in the file (as far as the channel is): what a reader finds after a crash. */
    public long flushedSamples() {
        return dataBytes / 2;
    }

    /** Samples accepted, flushed or still buffered. */
    public long recordedSamples() {
        return (dataBytes + pending.position()) / 2;
    }

    public long flushes() {
        return flushes;
    }

    /** Samples refused because the file reached the 4 GiB WAV limit. */
    public long droppedSamples() {
        return droppedSamples;
    }

    private static int fourcc(String s) {
        return s.charAt(0) | s.charAt(1) << 8 | s.charAt(2) << 16 | s.charAt(3) << 24;
    }
}
