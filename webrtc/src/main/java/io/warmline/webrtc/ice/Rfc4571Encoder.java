package io.warmline.webrtc.ice;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Frames one packet for ICE-TCP: a 16-bit length, then the packet (RFC 4571 §2). */
public final class Rfc4571Encoder {

    public static final int MAX_PACKET_LENGTH = 0xFFFF;

    private Rfc4571Encoder() {
    }

    /**
     * Returns a new buffer with the length prefix and the readable bytes of {@code packet}. Takes ownership of
     * {@code packet} and releases it, also when it is refused for being longer than 65535 bytes.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, ByteBuf packet) {
        try {
            int n = packet.readableBytes();
            if (n > MAX_PACKET_LENGTH) {
                throw new IllegalArgumentException("RFC 4571 frames hold at most 65535 bytes, got " + n);
            }
            ByteBuf out = alloc.buffer(2 + n);
            out.writeShort(n);
            out.writeBytes(packet, packet.readerIndex(), n);
            return out;
        } finally {
            packet.release();
        }
    }
}
