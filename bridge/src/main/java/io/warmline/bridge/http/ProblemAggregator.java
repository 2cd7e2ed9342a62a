package io.warmline.bridge.http;

import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Aggregates request bodies up to a bound; a larger one (by Content-Length or as it streams in) is answered 413
 * with a problem body naming the limit, and the connection is then closed in stages (RFC 9112 §9.6): our sending
 * half first, after the answer; the rest of the refused body is read and dropped, and the connection closed when it
 * has all arrived, after {@code maxDiscard} more bytes or after {@code linger}, whichever comes first. Closing at
 * once would leave the body's unread bytes in our receive buffer, which makes the kernel answer with a reset that
 * fails the client's write of its body, and with it the exchange, before the client reads the 413.
 */
final class ProblemAggregator extends HttpObjectAggregator {
    private final int maxBody;
    private final long maxDiscard;
    private final long lingerMillis;
    private boolean draining;
    private long discarded;

    ProblemAggregator(int maxBody, long maxDiscard, long lingerMillis) {
        super(maxBody);
        this.maxBody = maxBody;
        this.maxDiscard = maxDiscard;
        this.lingerMillis = lingerMillis;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ReferenceCountUtil.release(oversized);
        HttpReply reply = new ApiProblem(413, "body-too-large", "the request body exceeds " + maxBody + " bytes")
                .toReply();
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                Unpooled.wrappedBuffer(reply.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        r.headers().set(HttpHeaderNames.CONNECTION, "close");
        draining = true;
        ctx.writeAndFlush(r).addListener(f -> {
            if (f.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), lingerMillis, TimeUnit.MILLISECONDS);
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!draining) {
            super.channelRead(ctx, msg);
            return;
        }
        try {
            if (msg instanceof ByteBufHolder holder) {
                discarded += holder.content().readableBytes();
            }
            if (msg instanceof LastHttpContent || discarded > maxDiscard) {
                ctx.close();
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
