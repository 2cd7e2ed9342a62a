package io.warmline.bridge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Routes requests of the control surface. Stateless, so one instance serves every connection.
 * {@code /healthz} answers whether the process is alive; {@code /readyz} whether it takes new calls (503 while
 * draining, so a load balancer stops sending work).
 */
@ChannelHandler.Sharable
final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BooleanSupplier ready;

    HttpRoutes(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, error("malformed HTTP request"));
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        switch (path) {
            case "/healthz" -> get(ctx, request, HttpResponseStatus.OK, "{\"status\":\"ok\"}");
            case "/readyz" -> {
                boolean isReady = ready.getAsBoolean();
                get(ctx, request, isReady ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                        isReady ? "{\"status\":\"ready\"}" : "{\"status\":\"draining\"}");
            }
            default -> respond(ctx, request, HttpResponseStatus.NOT_FOUND, error("no resource at " + path));
        }
    }

    private static void get(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String body) {
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    error("method " + request.method() + " not allowed here; use GET"));
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, request, r);
            return;
        }
        respond(ctx, request, status, body);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String body) {
        send(ctx, request, response(status, body));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return r;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        if (request.method().equals(HttpMethod.HEAD)) {
            response.content().clear();
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static String error(String message) {
        return JSON.createObjectNode().put("error", message).toString();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
