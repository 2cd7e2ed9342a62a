package io.warmline.bridge.warmup;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The far end of a warm-up's SIP-side leg: a loopback socket that sends every RTP packet back to where it came from
 * under another SSRC (RFC 3550 §8.2: a leg must not receive its own SSRC), as a phone that echoes would. RTCP (RFC
 * 5761 §4 payload types 72-76 with the marker) is dropped. Not thread-safe; runs on its loop.
 */
final class RtpEcho implements AutoCloseable {

    private final Channel channel;
    private final int ssrc;
    private long echoed;

    private RtpEcho(EventLoop loop, int ssrc) {
        this.ssrc = ssrc;
        this.channel = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                .handler(new Handler())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }

    static RtpEcho open(EventLoop loop, int ssrc) {
        return new RtpEcho(loop, ssrc);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Packets sent back. Read on the loop. */
    long echoed() {
        return echoed;
    }

    @Override
    public void close() {
        channel.close();
    }

    private final class Handler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            ByteBuf in = packet.content();
            if (in.readableBytes() < 12 || (in.getByte(in.readerIndex()) & 0xC0) != 0x80) {
                return;
            }
            int pt = in.getByte(in.readerIndex() + 1) & 0xFF;
            if (pt >= 192 && pt <= 223) {
                return;
            }
            ByteBuf out = in.retainedDuplicate();
            out.setInt(out.readerIndex() + 8, ssrc);
            echoed++;
            ctx.writeAndFlush(new DatagramPacket(out, packet.sender()), ctx.voidPromise());
        }
    }
}
