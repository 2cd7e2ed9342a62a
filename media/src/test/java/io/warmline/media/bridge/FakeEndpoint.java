package io.warmline.media.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.warmline.media.rtcp.ReportBlock;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.transport.RtcpStats;
import io.warmline.media.transport.RtpEndpoint;
import java.util.ArrayList;
import java.util.List;

/** An in-memory RTP endpoint: keeps a copy of each packet sent (and releases it); delivers packets to its listener. */
final class FakeEndpoint implements RtpEndpoint {

    /** One packet as sent. */
    record Sent(int payloadType, boolean marker, int sequence, long timestamp, long ssrc, byte[] payload) {}

    private final EventLoop loop;
    private final long ssrc;
    final List<Sent> sent = new ArrayList<>();
    boolean keep = true;
    long sentCount;
    RtpEndpoint.Listener listener;
    /** What {@link #rtcpStats()} returns (null: no RTCP). */
    RtcpStats rtcp;

    FakeEndpoint(EventLoop loop, long ssrc) {
        this.loop = loop;
        this.ssrc = ssrc;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public long localSsrc() {
        return ssrc;
    }

    @Override
    public void send(ByteBuf rtpPacket) {
        try {
            sentCount++;
            if (keep) {
                byte[] payload = ByteBufUtil.getBytes(rtpPacket, RtpHeader.payloadOffset(rtpPacket),
                        RtpHeader.payloadLength(rtpPacket));
                sent.add(new Sent(RtpHeader.payloadType(rtpPacket), RtpHeader.marker(rtpPacket),
                        RtpHeader.sequence(rtpPacket), RtpHeader.timestamp(rtpPacket), RtpHeader.ssrc(rtpPacket),
                        payload));
            }
        } finally {
            rtpPacket.release();
        }
    }

    @Override
    public void setListener(RtpEndpoint.Listener listener) {
        this.listener = listener;
    }

    /** Hands {@code packet} to the listener (which then owns it), or releases it when there is none. */
    void deliver(ByteBuf packet) {
        RtpEndpoint.Listener l = listener;
        if (l == null) {
            packet.release();
        } else {
            l.onRtp(this, packet);
        }
    }

    @Override
    public RtcpStats rtcpStats() {
        return rtcp;
    }

    /** Hands the far end's report block about our SSRC to the listener, as an endpoint does on RTCP. */
    void report(int fractionLost, long nowNanos) {
        listener.onReceiverReport(this, new ReportBlock(ssrc, fractionLost, 0, 0, 0, 0, 0), nowNanos);
    }

    List<Sent> sentOfType(int payloadType) {
        return sent.stream().filter(s -> s.payloadType() == payloadType).toList();
    }
}
