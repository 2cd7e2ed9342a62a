package io.warmline.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.warmline.media.rtcp.ReportBlock;

/**
 * A bidirectional RTP endpoint owned by one event loop: a plain UDP leg ({@link MediaLeg}) or a WebRTC leg after
 * SRTP. Whatever terminates or relays its media (a relay, a bridge) runs on {@link #eventLoop()} too.
 *
 * <p><b>Buffers.</b> {@link #send} takes ownership of its argument; {@link Listener#onRtp} hands ownership of the
 * received packet to the listener.
 */
public interface RtpEndpoint {

    /** The loop that owns this endpoint: its sockets, its listener callbacks and its timers. */
    EventLoop eventLoop();

    /** Our SSRC (RFC 3550 §8.1); whoever sends on this endpoint uses it, and RTCP reports under it. */
    long localSsrc();

    /** Sends one RTP packet; takes ownership of the buffer. Call on {@link #eventLoop()}. */
    void send(ByteBuf rtpPacket);

    /** The listener owns each packet it is given. Null removes the listener (packets are then released). */
    void setListener(RtpEndpoint.Listener listener);

    /**
     * The endpoint's RTCP statistics (RFC 3550 §6.4: our reception, the peer's reports on our stream, round-trip
     * time), or null when it runs no RTCP. Call on {@link #eventLoop()}.
     */
    default RtcpStats rtcpStats() {
        return null;
    }

    /** Receives an endpoint's media. Called on the endpoint's event loop. */
    interface Listener {

        /** A valid RTP packet from the remote; the listener owns {@code packet} and must release or pass it on. */
        void onRtp(RtpEndpoint endpoint, ByteBuf packet);

        /**
         * No valid RTP arrived for the endpoint's timeout. Called again after each further timeout of silence, so a
         * listener that ignores an early call (e.g. while the call is still ringing) is told again.
         */
        default void onNoMedia(RtpEndpoint endpoint) {}

        /**
         * The peer sent a report block about our SSRC (in an SR or RR, RFC 3550 §6.4): its loss and jitter on the
         * stream we send. The endpoint has already taken the round-trip time from it.
         */
        default void onReceiverReport(RtpEndpoint endpoint, ReportBlock aboutUs, long nowNanos) {}
    }
}
