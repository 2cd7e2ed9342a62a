package io.warmline.webrtc.srtp.internal;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * The one working buffer of an SRTP session: each packet is copied in, transformed in place by jitsi-srtp, and copied
 * back. Sized for the largest packet plus the SRTCP index and tag, so jitsi-srtp never needs to grow it. Confined to
 * the session's thread.
 */
public final class PacketScratch implements ByteArrayBuffer {
    private byte[] buffer;
    private int offset;
    private int length;

    public PacketScratch(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** Resets to an empty packet at offset 0. */
    public void clear() {
        offset = 0;
        length = 0;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        length = len;
    }

    @Override
    public void setOffset(int off) {
        offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] outBuf) {
        System.arraycopy(buffer, offset + off, outBuf, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (howMuch > 0 && offset + length + howMuch > buffer.length) {
            byte[] larger = new byte[offset + length + howMuch];
            System.arraycopy(buffer, 0, larger, 0, buffer.length);
            buffer = larger;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        length = Math.max(0, length - len);
    }
}
