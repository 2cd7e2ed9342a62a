package io.warmline.media.bridge;

import io.netty.buffer.ByteBuf;

/**
 * Lets a leg send a packet of its own choosing instead of a tick's audio frame (RFC 4733 events are sent this way,
 * RFC 4733 §2.5.1.2: events replace the audio of their duration). Consulted once per tick, before encoding, on the
 * bridge's event loop.
 */
@FunctionalInterface
public interface PacketInjector {

    /**
     * @param audioTimestamp the RTP timestamp this tick's audio frame would carry (at the leg's RTP clock rate)
     * @param sequence the RTP sequence number to use (16 bits)
     * @param ssrc the leg's SSRC to use
     * @param dst an empty buffer to write one whole RTP packet (header included) into
     * @return true if a packet was written: it is sent instead of the audio frame; false leaves {@code dst} unused
     *     (anything written is discarded) and the audio frame is sent
     */
    boolean inject(long nowNanos, long audioTimestamp, int sequence, long ssrc, ByteBuf dst);
}
