package io.warmline.webrtc.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Objects;

/**
 * Splits an ICE-TCP byte stream into packets (RFC 4571 §2: a 16-bit length, then that many bytes; RFC 6544 §3).
 * Sans-IO and transport-neutral: feed it whatever a read returned, in order; it keeps a partial frame between reads.
 * A frame longer than the configured bound breaks the stream for good (the length prefix cannot be resynchronised):
 * the caller closes the connection. Empty frames are skipped and counted. Not thread-safe: one per connection.
 */
public final class Rfc4571Decoder implements AutoCloseable {

    /** The outcome of one {@link #decode} call. */
    public enum Result {
        OK,
        /** A frame longer than the bound: close the connection; later calls consume nothing. */
        FRAME_TOO_LONG
    }

    private final ByteBufAllocator alloc;
    private final int maxFrameLength;
    private int headerBytes;
    private int header;
    private ByteBuf body;
    private boolean broken;
    private long frames;
    private long emptyFrames;

    /** @param maxFrameLength the longest packet accepted, at most 65535 */
    public Rfc4571Decoder(ByteBufAllocator alloc, int maxFrameLength) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        if (maxFrameLength < 1 || maxFrameLength > 0xFFFF) {
            throw new IllegalArgumentException("maxFrameLength out of 1..65535: " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
    }

    /**
     * Consumes every readable byte of {@code in} (moving its reader index; the caller still releases {@code in}) and
     * adds each completed packet to {@code out}. The caller owns and releases every buffer added to {@code out}; they
     * may be retained slices of {@code in}.
     */
    public Result decode(ByteBuf in, List<ByteBuf> out) {
        if (broken) {
            return Result.FRAME_TOO_LONG;
        }
        while (in.isReadable()) {
            if (body == null) {
                if (headerBytes == 0 && in.readableBytes() >= 2) {
                    header = in.readUnsignedShort();
                } else {
                    header = (header << 8) | in.readUnsignedByte();
                    if (++headerBytes < 2) {
                        continue;
                    }
                }
                int length = header;
                headerBytes = 0;
                header = 0;
                if (length > maxFrameLength) {
                    broken = true;
                    return Result.FRAME_TOO_LONG;
                }
                if (length == 0) {
                    emptyFrames++;
                    continue;
                }
                if (in.readableBytes() >= length) {
                    frames++;
                    out.add(in.readRetainedSlice(length));
                    continue;
                }
                body = alloc.buffer(length, length);
            }
            body.writeBytes(in, Math.min(body.writableBytes(), in.readableBytes()));
            if (!body.isWritable()) {
                frames++;
                ByteBuf done = body;
                body = null;
                out.add(done);
            }
        }
        return Result.OK;
    }

    /** Bytes held of an incomplete packet (its prefix included). */
    public int pendingBytes() {
        return body != null ? 2 + body.readableBytes() : headerBytes;
    }

    public long frames() {
        return frames;
    }

    public long emptyFrames() {
        return emptyFrames;
    }

    /** Releases a partial packet; call when the connection closes. */
    @Override
    public void close() {
        if (body != null) {
            body.release();
            body = null;
        }
        headerBytes = 0;
    }
}
