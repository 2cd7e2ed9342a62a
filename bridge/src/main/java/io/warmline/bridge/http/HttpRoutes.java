package io.warmline.bridge.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.warmline.bridge.auth.ConversationIds;
import io.warmline.bridge.conversation.ConversationException;
import io.warmline.bridge.metrics.NodeMetrics;
import io.warmline.media.time.NanoClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests of the control surface. Stateless, so one instance serves every connection. {@code /healthz}
 * answers whether the process is alive; {@code /readyz} whether it takes new calls (503 while draining, so a load
 * balancer stops sending work); {@code /v1/…} is the API ({@link VoiceRoutes}, {@link EscalationRoutes},
 * {@link DtmfRoutes}, {@link RecordingRoutes});
 * {@code /metrics} the Prometheus exposition of the node's meters (API key required);
 * {@code /widget/…} the widget's files. Every error is an RFC 9457 problem naming what was wrong.
 */
@ChannelHandler.Sharable
final class HttpRoutes extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpRoutes.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final AttributeKey<CompletableFuture<Void>> LAST_RESPONSE =
            AttributeKey.valueOf(HttpRoutes.class, "lastResponse");

    private final BooleanSupplier ready;
    private final ControlApi api;
    private final StaticAssets assets = new StaticAssets();
    private final NanoClock clock;

    HttpRoutes(BooleanSupplier ready, ControlApi api) {
        this(ready, api, NanoClock.SYSTEM);
    }

    /** @param clock the node's nanosecond clock: when each request was read, and each reply written */
    HttpRoutes(BooleanSupplier ready, ControlApi api, NanoClock clock) {
        this.ready = ready;
        this.api = api;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long receivedNanos = clock.nanoTime();
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        boolean head = request.method().name().equals("HEAD");
        if (!request.decoderResult().isSuccess()) {
            write(ctx, new ApiProblem(400, "malformed-request", "malformed HTTP request").toReply(), false, false, clock);
            return;
        }
        ApiRequest r = ApiRequest.of(request, receivedNanos);
        CompletionStage<HttpReply> reply;
        try {
            reply = route(r, ctx.executor());
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        // Responses go out in request order (RFC 9112 §9.3.2: a pipelined request may finish before an earlier
        // one that waits on a conversation's loop): each waits for the previous response on the connection.
        CompletableFuture<Void> previous = ctx.channel().attr(LAST_RESPONSE).get();
        CompletableFuture<Void> written = new CompletableFuture<>();
        ctx.channel().attr(LAST_RESPONSE).set(written);
        reply.handle((ok, failure) -> failure == null ? ok : problem(failure))
                .thenApply(rep -> api != null && r.path().startsWith("/v1/") ? api.cors.decorate(r, rep) : rep)
                .thenAcceptBoth(previous == null ? CompletableFuture.completedFuture(null) : previous,
                        (rep, ignored) -> {
                            if (ctx.executor().inEventLoop()) {
                                write(ctx, rep, keepAlive, head, clock);
                                written.complete(null);
                            } else {
                                ctx.executor().execute(() -> {
                                    write(ctx, rep, keepAlive, head, clock);
                                    written.complete(null);
                                });
                            }
                        });
    }

    private CompletionStage<HttpReply> route(ApiRequest r, Executor executor) {
        String path = r.path();
        switch (path) {
            case "/metrics":
                if (api == null) {
                    throw notFound(path);
                }
                return metrics(r, executor);
            case "/healthz":
                return done(get(r, HttpReply.json(200, "{\"status\":\"ok\"}")));
            case "/readyz": {
                boolean isReady = ready.getAsBoolean();
                return done(get(r, HttpReply.json(isReady ? 200 : 503,
                        isReady ? "{\"status\":\"ready\"}" : "{\"status\":\"draining\"}")));
            }
            default:
                break;
        }
        if (path.startsWith("/widget/")) {
            HttpReply file = assets.get(path.substring("/widget/".length()));
            if (file == null) {
                throw notFound(path);
            }
            return done(get(r, file));
        }
        if (api == null || !path.startsWith("/v1/conversations/")) {
            throw notFound(path);
        }
        if (api.cors.isPreflight(r)) {
            return done(api.cors.preflight(r));
        }
        // Raw path segments: a conversation id never holds '%', so nothing needs decoding.
        List<String> s = List.of(path.substring("/v1/conversations/".length()).split("/", -1));
        String conversation = s.get(0);
        String problem = ConversationIds.problem(conversation);
        if (problem != null) {
            throw new ApiProblem(400, "bad-conversation-id", problem);
        }
        String m = r.method();
        if (s.size() == 2 && s.get(1).equals("voice-tokens")) {
            return done(switch (m) {
                case "POST" -> api.voice.mintToken(r, conversation);
                default -> throw notAllowed(m, "POST");
            });
        }
        if (s.size() == 2 && s.get(1).equals("voice")) {
            return switch (m) {
                case "POST" -> api.voice.offer(r, conversation);
                case "OPTIONS" -> done(api.voice.options(false));
                default -> throw notAllowed(m, "POST, OPTIONS");
            };
        }
        if (s.size() == 3 && s.get(1).equals("voice") && ID.matcher(s.get(2)).matches()) {
            return switch (m) {
                case "PATCH" -> api.voice.patch(r, conversation, s.get(2));
                case "DELETE" -> api.voice.delete(r, conversation, s.get(2));
                case "OPTIONS" -> done(api.voice.options(true));
                default -> throw notAllowed(m, "PATCH, DELETE, OPTIONS");
            };
        }
        if (s.size() == 2 && s.get(1).equals("escalations")) {
            return switch (m) {
                case "POST" -> api.escalations.create(r, conversation);
                default -> throw notAllowed(m, "POST");
            };
        }
        if (s.size() == 2 && s.get(1).equals("dtmf")) {
            return switch (m) {
                case "POST" -> api.dtmf.press(r, conversation);
                default -> throw notAllowed(m, "POST");
            };
        }
        if (s.size() == 2 && s.get(1).equals("recording")) {
            return switch (m) {
                case "POST" -> api.recording.start(r, conversation);
                case "DELETE" -> api.recording.stop(r, conversation);
                default -> throw notAllowed(m, "POST, DELETE");
            };
        }
        if (s.size() == 3 && s.get(1).equals("escalations") && ID.matcher(s.get(2)).matches()) {
            return switch (m) {
                case "GET" -> done(api.escalations.get(r, conversation, s.get(2)));
                case "DELETE" -> api.escalations.cancel(r, conversation, s.get(2));
                default -> throw notAllowed(m, "GET, DELETE");
            };
        }
        throw notFound(path);
    }

    /**
     * The node's meters in the Prometheus text format. A carrier node's call counts and trunk names are not public:
     * the API key is required (Prometheus sends it as {@code authorization: {type: Bearer, credentials: …}}). The
     * text is rendered on this connection's loop, after the media loops have been sampled.
     */
    private CompletionStage<HttpReply> metrics(ApiRequest r, Executor executor) {
        get(r, null);
        api.auth.requireApiKey(r);
        return api.metrics.scrape(executor).thenApply(text -> new HttpReply(200, NodeMetrics.CONTENT_TYPE,
                text.getBytes(StandardCharsets.UTF_8), Map.of()));
    }

    private static HttpReply get(ApiRequest r, HttpReply reply) {
        if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
            throw notAllowed(r.method(), "GET, HEAD");
        }
        return reply;
    }

    private static ApiProblem notFound(String path) {
        return new ApiProblem(404, "not-found", "no resource at " + path);
    }

    private static ApiProblem notAllowed(String method, String allowed) {
        return new ApiProblem(405, "method-not-allowed", "method " + method + " not allowed here; use " + allowed)
                .header("Allow", allowed);
    }

    /** Maps a route's failure to its problem; anything unexpected is logged and answered 500 without details. */
    static HttpReply problem(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (t instanceof ApiProblem p) {
            return p.toReply();
        }
        if (t instanceof ConversationException c) {
            ApiProblem p = new ApiProblem(c.kind().httpStatus(), c.kind().code(), c.getMessage());
            if (c.kind().httpStatus() == 503) {
                p.header("Retry-After", "5");
            } else if (c.retryAfterSeconds() > 0) {
                p.header("Retry-After", Long.toString(c.retryAfterSeconds()));
            }
            return p.toReply();
        }
        log.error("Unexpected failure answering an API request", t);
        return new ApiProblem(500, "internal-error", "internal error; see the node's log").toReply();
    }

    private static CompletionStage<HttpReply> done(HttpReply r) {
        return CompletableFuture.completedFuture(r);
    }

    private static void write(ChannelHandlerContext ctx, HttpReply reply, boolean keepAlive, boolean head,
            NanoClock clock) {
        ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body());
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), content);
        if (reply.contentType() != null) {
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        }
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
        if (!reply.headers().containsKey("Cache-Control")) {
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        }
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            r.headers().set(h.getKey(), h.getValue());
        }
        ChannelFuture sent;
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            sent = ctx.writeAndFlush(r);
        } else {
            sent = ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
        if (reply.written() != null) {
            sent.addListener(f -> {
                if (f.isSuccess()) {
                    reply.written().accept(clock.nanoTime());
                }
            });
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
