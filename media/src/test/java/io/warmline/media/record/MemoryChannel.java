package io.warmline.media.record;

import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.Arrays;

/** An in-memory file for the recorder tests; writes at most {@code maxWrite} bytes per call to exercise short writes. */
final class MemoryChannel implements SeekableByteChannel {

    private byte[] data;
    private int size;
    private int position;
    private final int maxWrite;
    private boolean open = true;

    MemoryChannel(int capacity, int maxWrite) {
        this.data = new byte[capacity];
        this.maxWrite = maxWrite;
    }

    byte[] contents() {
        return Arrays.copyOf(data, size);
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), maxWrite);
        if (position + n > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, position + n));
        }
        src.get(data, position, n);
        position += n;
        size = Math.max(size, position);
        return n;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) {
        position = (int) newPosition;
        return this;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        size = Math.min(size, (int) newSize);
        return this;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
