package io.warmline.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.warmline.media.transport.NettyTransport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass(name = "{0}")
@EnumSource(NettyTransport.class)
class PortOutboxTest {

    @Parameter
    NettyTransport transport;

    private EventLoopGroup callGroup;
    private EventLoopGroup portGroup;
    private EventLoop callLoop;
    private EventLoop portLoop;
    private Channel port;
    private DatagramSocket peer;
    private InetSocketAddress peerAddress;

    @BeforeEach
    void setUp() throws Exception {
        callGroup = transport.newGroup(1, new DefaultThreadFactory("outbox-call"));
        portGroup = transport.newGroup(1, new DefaultThreadFactory("outbox-port"));
        callLoop = callGroup.next();
        portLoop = portGroup.next();
        port = new Bootstrap().group(portLoop).channel(transport.datagramChannel())
                .handler(new ChannelInboundHandlerAdapter())
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        peer.setSoTimeout(3000);
        peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    }

    @AfterEach
    void tearDown() {
        peer.close();
        if (!portGroup.isShuttingDown()) {
            port.close().syncUninterruptibly();
        }
        callGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        portGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private DatagramPacket packet(int n) {
        return new DatagramPacket(Unpooled.buffer(4).writeInt(n), peerAddress);
    }

    private int receive() throws Exception {
        byte[] buf = new byte[64];
        java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
        peer.receive(p);
        assertEquals(4, p.getLength());
        return Unpooled.wrappedBuffer(buf, 0, 4).readInt();
    }

    @Test
    void whatOneTaskAddsIsHandedOverOnceAndArrivesInOrder() throws Exception {
        PortOutbox outbox = new PortOutbox(callLoop, portLoop);
        callLoop.submit(() -> {
            for (int i = 0; i < 20; i++) {
                outbox.add(port, packet(i), () -> true);
            }
        }).sync();
        for (int i = 0; i < 20; i++) {
            assertEquals(i, receive());
        }
        assertEquals(1L, (long) callLoop.submit(outbox::batches).get(5, TimeUnit.SECONDS));
        assertEquals(20L, (long) callLoop.submit(outbox::packets).get(5, TimeUnit.SECONDS));

        callLoop.submit(() -> outbox.add(port, packet(99), () -> true)).sync();
        assertEquals(99, receive());
        assertEquals(2L, (long) callLoop.submit(outbox::batches).get(5, TimeUnit.SECONDS));
    }

    @Test
    void aPacketWhoseSenderEndedIsReleasedNotSent() throws Exception {
        PortOutbox outbox = new PortOutbox(callLoop, portLoop);
        List<ByteBuf> dropped = new ArrayList<>();
        callLoop.submit(() -> {
            DatagramPacket gone = packet(1);
            dropped.add(gone.content());
            outbox.add(port, gone, () -> false);
            outbox.add(port, packet(2), () -> true);
        }).sync();
        assertEquals(2, receive(), "only the live sender's packet is sent");
        portLoop.submit(() -> null).sync();
        assertEquals(0, dropped.get(0).refCnt());
    }

    @Test
    void aFullBatchIsHandedOverAtOnce() throws Exception {
        PortOutbox outbox = new PortOutbox(callLoop, portLoop);
        long batches = callLoop.submit(() -> {
            for (int i = 0; i < PortOutbox.MAX_BATCH; i++) {
                outbox.add(port, packet(i), () -> false);
            }
            return outbox.batches();
        }).get(5, TimeUnit.SECONDS);
        assertEquals(1, batches, "handed over when full, before the task ended");
    }

    @Test
    void aBatchThePortsLoopRefusesIsReleased() throws Exception {
        PortOutbox outbox = new PortOutbox(callLoop, portLoop);
        portGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        DatagramPacket p = packet(5);
        callLoop.submit(() -> outbox.add(port, p, () -> true)).sync();
        callLoop.submit(() -> null).sync();
        assertEquals(0, p.content().refCnt());
        assertTrue(portLoop.isShutdown());
    }
}
