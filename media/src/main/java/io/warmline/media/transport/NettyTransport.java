package io.warmline.media.transport;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.concurrent.ThreadFactory;

/**
 * The Netty transport of a node's loops and channels, chosen once at start ({@code media.transport}): the JDK's NIO
 * selector, or Linux's native epoll (edge-triggered, {@code recvmmsg}/{@code sendmmsg} for datagrams). A channel must
 * be of its loop's transport: {@link #of(EventLoop)} tells which one a given loop runs.
 */
public enum NettyTransport {
    NIO,
    EPOLL;

    /** Whether the native epoll library loaded on this host. */
    public static boolean epollAvailable() {
        return Epoll.isAvailable();
    }

    /** Why epoll is not available, or null when it is. */
    public static Throwable epollUnavailabilityCause() {
        return Epoll.unavailabilityCause();
    }

    /** Epoll where it is available, else NIO. */
    public static NettyTransport auto() {
        return epollAvailable() ? EPOLL : NIO;
    }

    /** The transport {@code loop} runs: EPOLL for an epoll loop, NIO for anything else. */
    public static NettyTransport of(EventLoop loop) {
        return loop instanceof IoEventLoop io && io.isIoType(EpollIoHandler.class) ? EPOLL : NIO;
    }

    /** {@code threads} loops (0: Netty's default, twice the cores) of this transport. */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlerFactory());
    }

    public IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return this == EPOLL ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    public Class<? extends ServerSocketChannel> serverSocketChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The name used in the config file and logs. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
