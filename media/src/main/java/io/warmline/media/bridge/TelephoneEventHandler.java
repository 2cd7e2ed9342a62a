package io.warmline.media.bridge;

import io.netty.buffer.ByteBuf;

/**
 * Receives a leg's RTP packets that carry the negotiated telephone-event payload type (RFC 4733), split off before
 * the jitter buffer. Called on the bridge's event loop.
 */
@FunctionalInterface
public interface TelephoneEventHandler {

    /** One whole RTP packet (header included); the handler owns it and must release it. */
    void onTelephoneEvent(ByteBuf rtp, long nowNanos);
}
