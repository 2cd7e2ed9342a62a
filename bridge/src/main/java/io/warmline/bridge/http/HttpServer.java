package io.warmline.bridge.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.warmline.config.HostPort;
import io.warmline.media.transport.NettyTransport;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The HTTP control surface: liveness, readiness, the {@code /v1} API and the widget's files. */
public final class HttpServer implements AutoCloseable {
    /** Bounds on what a client may send (CONVENTIONS 8). */
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 8192;
    static final int MAX_CHUNK_SIZE = 8192;
    static final int MAX_BODY = 64 * 1024;
    static final int IDLE_SECONDS = 30;
    /** What of a refused (413) body is still read, so that the client can finish sending and read the refusal. */
    static final long MAX_DISCARD = 1024 * 1024;
    static final long LINGER_MILLIS = 5000;

    private final HostPort listen;
    private final BooleanSupplier ready;
    private final ControlApi api;
    private final NettyTransport transport;
    private EventLoopGroup loops;
    private Channel channel;

    public HttpServer(HostPort listen, BooleanSupplier ready) {
        this(listen, ready, null);
    }

    /** {@code api} null: only the health endpoints and the widget's files. */
    public HttpServer(HostPort listen, BooleanSupplier ready, ControlApi api) {
        this(listen, ready, api, NettyTransport.NIO);
    }

    /** As {@link #HttpServer(HostPort, BooleanSupplier, ControlApi)}, its loop and sockets on {@code transport}. */
    public HttpServer(HostPort listen, BooleanSupplier ready, ControlApi api, NettyTransport transport) {
        this.listen = listen;
        this.ready = ready;
        this.api = api;
        this.transport = transport;
    }

    public void start() throws InterruptedException {
        loops = transport.newGroup(1, new DefaultThreadFactory("warmline-http"));
        HttpRoutes routes = new HttpRoutes(ready, api);
        channel = new ServerBootstrap()
                .group(loops)
                .channel(transport.serverSocketChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new ReadTimeoutHandler(IDLE_SECONDS))
                                .addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE))
                                .addLast(new ProblemAggregator(MAX_BODY, MAX_DISCARD, LINGER_MILLIS))
                                .addLast(routes);
                    }
                })
                .bind(new InetSocketAddress(listen.host(), listen.port()))
                .sync()
                .channel();
    }

    /** The bound port (useful when configured as 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }
}
