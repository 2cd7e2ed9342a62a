package io.warmline.bridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.warmline.bridge.conversation.ConversationException;
import io.warmline.bridge.conversation.VoiceLegOpened;
import io.warmline.bridge.conversation.Conversations;
import io.warmline.config.ApiConfig;
import io.warmline.config.Secret;
import io.warmline.media.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API's HTTP semantics over an {@link EmbeddedChannel}: authentication, WHIP status codes and headers, limits
 * and problem bodies. The conversations behind it are a small in-memory stand-in that records what it was asked.
 */
class ControlApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "backend-key-0123456789";
    private static final String ORIGIN = "https://shop.example";
    private static final String OFFER = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";

    private Instant now = Instant.parse("2025-01-01T10:00:00Z");
    private final RecordingConversations conversations = new RecordingConversations();
    private final ControlApi api = ControlApi.create(
            new ApiConfig(Map.of("crm", Secret.of(KEY)), Duration.ofMinutes(5),
                    Secret.of("0123456789abcdef0123456789abcdef"), List.of(ORIGIN), 2),
            List.of("support", "sales"), conversations, () -> now);

    private record Reply(int status, Map<String, String> headers, String body) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private Reply call(HttpMethod method, String uri, String contentType, String body, String... headers) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRoutes(() -> true, api));
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body == null ? "" : body, StandardCharsets.UTF_8));
        if (contentType != null) {
            req.headers().set("content-type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            req.headers().set(headers[i], headers[i + 1]);
        }
        ch.writeInbound(req);
        ch.runPendingTasks();
        FullHttpResponse r = ch.readOutbound();
        assertNotNull(r, "no response to " + method + " " + uri);
        Map<String, String> h = new LinkedHashMap<>();
        r.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
        Reply reply = new Reply(r.status().code(), h, r.content().toString(StandardCharsets.UTF_8));
        r.release();
        ch.finishAndReleaseAll();
        return reply;
    }

    private String token(String conversation) throws Exception {
        Reply r = call(HttpMethod.POST, "/v1/conversations/" + conversation + "/voice-tokens", null, null,
                "authorization", "Bearer " + KEY);
        assertEquals(201, r.status(), r.body());
        return r.json().get("token").asText();
    }

    private Reply offer(String conversation, String token) {
        return call(HttpMethod.POST, "/v1/conversations/" + conversation + "/voice", "application/sdp", OFFER,
                "authorization", "Bearer " + token);
    }

    private static void assertProblem(Reply r, int status, String code, String detailPart) throws Exception {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.header("content-type"));
        JsonNode p = r.json();
        assertEquals(status, p.get("status").asInt());
        assertEquals(code, p.get("code").asText());
        assertEquals("urn:warmline:problem:" + code, p.get("type").asText());
        assertTrue(p.get("detail").asText().contains(detailPart), p.get("detail").asText());
    }

    @Test
    void mintingNeedsAConfiguredApiKey() throws Exception {
        Reply none = call(HttpMethod.POST, "/v1/conversations/c1/voice-tokens", null, null);
        assertProblem(none, 401, "unauthorized", "API key is required");
        assertEquals("Bearer realm=\"warmline\"", none.header("www-authenticate"));
        Reply wrong = call(HttpMethod.POST, "/v1/conversations/c1/voice-tokens", null, null,
                "authorization", "Bearer not-the-key-0123456789");
        assertProblem(wrong, 401, "unauthorized", "not one of the configured keys");
        assertTrue(wrong.header("www-authenticate").contains("error=\"invalid_token\""));
        assertFalse(wrong.body().contains("not-the-key"));
    }

    @Test
    void aMintedTokenSaysWhatItIsFor() throws Exception {
        Reply r = call(HttpMethod.POST, "/v1/conversations/c1/voice-tokens", null, null,
                "authorization", "Bearer " + KEY);
        assertEquals(201, r.status());
        JsonNode j = r.json();
        assertEquals("c1", j.get("conversationId").asText());
        assertEquals(300, j.get("expiresIn").asInt());
        assertEquals("2025-01-01T10:05:00Z", j.get("expiresAt").asText());
        assertEquals("/v1/conversations/c1/voice", j.get("voiceUrl").asText());
        assertEquals("no-store", r.header("cache-control"));
    }

    @Test
    void whipOfferGetsCreatedWithAnswerLocationAndEtag() throws Exception {
        Reply r = offer("c1", token("c1"));
        assertEquals(201, r.status(), r.body());
        assertEquals("application/sdp", r.header("content-type"));
        assertEquals("answer-for-leg-1", r.body());
        assertEquals("/v1/conversations/c1/voice/leg-1", r.header("location"));
        assertEquals("\"etag-leg-1\"", r.header("etag"));
        assertEquals(OFFER, conversations.offers.get(0));
    }

    @Test
    void missingExpiredAndGarbledTokensAre401AndAnotherConversationsIs403() throws Exception {
        String t = token("c1");
        assertProblem(offer("c1", ""), 401, "unauthorized", "no bearer token");
        assertProblem(offer("c1", "wt1.garbage.zzz"), 401, "unauthorized", "");
        Reply other = offer("c2", t);
        assertProblem(other, 403, "wrong-conversation", "another conversation");
        assertTrue(other.header("www-authenticate").contains("insufficient_scope"));
        now = now.plusSeconds(301);
        Reply expired = offer("c1", t);
        assertProblem(expired, 401, "unauthorized", "expired");
        assertTrue(expired.header("www-authenticate").contains("error=\"invalid_token\""));
        assertTrue(conversations.offers.isEmpty());
    }

    @Test
    void wrongContentTypeIs415AndOversizedSdpIs413() throws Exception {
        String t = token("c1");
        Reply json = call(HttpMethod.POST, "/v1/conversations/c1/voice", "application/json", "{}",
                "authorization", "Bearer " + t);
        assertProblem(json, 415, "unsupported-media-type", "application/sdp");
        Reply big = call(HttpMethod.POST, "/v1/conversations/c1/voice", "application/sdp",
                "a".repeat(VoiceRoutes.MAX_SDP_BYTES + 1), "authorization", "Bearer " + t);
        assertProblem(big, 413, "body-too-large", "at most " + VoiceRoutes.MAX_SDP_BYTES);
        Reply empty = call(HttpMethod.POST, "/v1/conversations/c1/voice", "application/sdp", "",
                "authorization", "Bearer " + t);
        assertProblem(empty, 400, "empty-offer", "SDP offer");
    }

    @Test
    void refusalsOfTheConversationLayerKeepTheirStatusAndReason() throws Exception {
        String t = token("c1");
        conversations.refuse = new ConversationException(ConversationException.Kind.TOO_MANY_LEGS,
                "conversation c1 already has 2 voice legs (the most allowed)");
        assertProblem(offer("c1", t), 409, "too-many-legs", "already has 2 voice legs");
        conversations.refuse = new ConversationException(ConversationException.Kind.OFFER_REFUSED,
                "the offer has no audio m-line");
        assertProblem(offer("c1", t), 400, "offer-refused", "no audio m-line");
    }

    @Test
    void badConversationIdsAreNamed() throws Exception {
        assertProblem(call(HttpMethod.POST, "/v1/conversations/a%2Fb/voice-tokens", null, null), 400,
                "bad-conversation-id", "only letters");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/" + "x".repeat(129) + "/voice", null, null), 400,
                "bad-conversation-id", "129 characters");
    }

    @Test
    void patchTricklesWithTheOpeningTokenAndChecksEtag() throws Exception {
        String t = token("c1");
        offer("c1", t);
        String frag = "a=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
                + "a=mid:0\r\na=candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host\r\n";
        Reply ok = call(HttpMethod.PATCH, "/v1/conversations/c1/voice/leg-1", "application/trickle-ice-sdpfrag", frag,
                "authorization", "Bearer " + t, "if-match", "\"etag-leg-1\"");
        assertEquals(204, ok.status(), ok.body());
        assertEquals(List.of(frag), conversations.fragments);
        assertProblem(call(HttpMethod.PATCH, "/v1/conversations/c1/voice/leg-1", "application/trickle-ice-sdpfrag",
                frag, "authorization", "Bearer " + t, "if-match", "\"other\""), 412, "etag-mismatch", "\"other\"");
        assertProblem(call(HttpMethod.PATCH, "/v1/conversations/c1/voice/leg-1", "application/trickle-ice-sdpfrag",
                frag, "authorization", "Bearer " + t), 428, "if-match-required", "\"etag-leg-1\"");
        assertProblem(call(HttpMethod.PATCH, "/v1/conversations/c1/voice/leg-1", "application/sdp", frag,
                "authorization", "Bearer " + t), 415, "unsupported-media-type", "trickle-ice-sdpfrag");
        assertProblem(call(HttpMethod.PATCH, "/v1/conversations/c1/voice/leg-1", "application/trickle-ice-sdpfrag",
                "a=end-of-candidates\r\n", "authorization", "Bearer " + t, "if-match", "*"), 400, "bad-candidate",
                "a=ice-pwd");

        // RFC 9725 §4.3.3: If-Match: * restarts ICE; 200 with our new credentials and the new session's ETag.
        Reply restarted = call(HttpMethod.PATCH, "/v1/conversations/c1/voice/leg-1", "application/trickle-ice-sdpfrag",
                frag, "authorization", "Bearer " + t, "if-match", "*");
        assertEquals(200, restarted.status(), restarted.body());
        assertEquals("application/trickle-ice-sdpfrag", restarted.header("content-type"));
        assertEquals("a=ice-lite\r\na=ice-ufrag:new1\r\n", restarted.body());
        String etag = restarted.header("etag");
        assertEquals("\"etag-leg-1-r2\"", etag);
        assertProblem(call(HttpMethod.PATCH, "/v1/conversations/c1/voice/leg-1", "application/trickle-ice-sdpfrag",
                frag, "authorization", "Bearer " + t, "if-match", "\"etag-leg-1\""), 412, "etag-mismatch",
                "\"etag-leg-1\"");
        assertEquals(204, call(HttpMethod.PATCH, "/v1/conversations/c1/voice/leg-1", "application/trickle-ice-sdpfrag",
                frag, "authorization", "Bearer " + t, "if-match", etag).status());
        assertProblem(call(HttpMethod.PATCH, "/v1/conversations/c1/voice/leg-9", "application/trickle-ice-sdpfrag",
                frag, "authorization", "Bearer " + t), 404, "no-such-leg", "leg-9");
    }

    @Test
    void deleteHangsUpEvenAfterTheTokenExpiredButNotWithAnotherToken() throws Exception {
        String t = token("c1");
        offer("c1", t);
        String other = token("c1");
        assertProblem(call(HttpMethod.DELETE, "/v1/conversations/c1/voice/leg-1", null, null,
                "authorization", "Bearer " + other), 403, "not-your-leg", "another token");
        now = now.plus(Duration.ofHours(1));
        Reply r = call(HttpMethod.DELETE, "/v1/conversations/c1/voice/leg-1", null, null, "authorization", "Bearer " + t);
        assertEquals(200, r.status(), r.body());
        assertEquals(List.of("leg-1"), conversations.closed);
        assertProblem(call(HttpMethod.DELETE, "/v1/conversations/c1/voice/leg-1", null, null,
                "authorization", "Bearer " + t), 404, "no-such-leg", "leg-1");
    }

    @Test
    void theBackendsKeyMayAlsoHangUpALeg() throws Exception {
        offer("c1", token("c1"));
        assertEquals(200, call(HttpMethod.DELETE, "/v1/conversations/c1/voice/leg-1", null, null,
                "authorization", "Bearer " + KEY).status());
    }

    @Test
    void corsPreflightForTheWidgetOriginOnly() throws Exception {
        Reply ok = call(HttpMethod.OPTIONS, "/v1/conversations/c1/voice", null, null, "origin", ORIGIN,
                "access-control-request-method", "POST", "access-control-request-headers", "authorization,content-type");
        assertEquals(204, ok.status());
        assertEquals(ORIGIN, ok.header("access-control-allow-origin"));
        assertTrue(ok.header("access-control-allow-headers").contains("Authorization"));
        assertTrue(ok.header("access-control-allow-methods").contains("PATCH"));
        Reply refused = call(HttpMethod.OPTIONS, "/v1/conversations/c1/voice", null, null, "origin",
                "https://evil.example", "access-control-request-method", "POST");
        assertProblem(refused, 403, "origin-not-allowed", "https://evil.example");
        assertNull(refused.header("access-control-allow-origin"));

        Reply created = call(HttpMethod.POST, "/v1/conversations/c1/voice", "application/sdp", OFFER,
                "authorization", "Bearer " + token("c1"), "origin", ORIGIN);
        assertEquals(201, created.status());
        assertEquals(ORIGIN, created.header("access-control-allow-origin"));
        assertTrue(created.header("access-control-expose-headers").contains("Location"));
    }

    @Test
    void plainOptionsSaysWhatTheEndpointAccepts() {
        Reply r = call(HttpMethod.OPTIONS, "/v1/conversations/c1/voice", null, null);
        assertEquals(204, r.status());
        assertEquals("POST, OPTIONS", r.header("allow"));
        assertEquals("application/sdp", r.header("accept-post"));
    }

    @Test
    void escalationNeedsTheKeyAndAConfiguredTarget() throws Exception {
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/escalations", "application/json",
                "{\"target\":\"support\"}"), 401, "unauthorized", "API key");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/escalations", "application/json",
                "{\"target\":\"+15551234567\"}", "authorization", "Bearer " + KEY), 422, "unknown-target",
                "configured: support, sales");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/escalations", "application/json",
                "{\"target\":\"support\",\"number\":\"+1900\"}", "authorization", "Bearer " + KEY), 400,
                "unknown-field", "\"number\"");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/escalations", "application/json", "{nope",
                "authorization", "Bearer " + KEY), 400, "malformed-json", "not JSON");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/escalations", "text/plain", "support",
                "authorization", "Bearer " + KEY), 415, "unsupported-media-type", "application/json");
        assertTrue(conversations.escalated.isEmpty());

        Reply r = call(HttpMethod.POST, "/v1/conversations/c1/escalations", "application/json",
                "{\"target\":\"support\",\"context\":{\"summary\":\"refund\"}}", "authorization", "Bearer " + KEY);
        assertEquals(201, r.status(), r.body());
        assertEquals("/v1/conversations/c1/escalations/esc-1", r.header("location"));
        assertEquals("DIALING", r.json().get("state").asText());
        assertEquals(List.of("support"), conversations.escalated);
        Reply got = call(HttpMethod.GET, "/v1/conversations/c1/escalations/esc-1", null, null,
                "authorization", "Bearer " + KEY);
        assertEquals("support", got.json().get("target").asText());
    }

    @Test
    void unknownPathsAndMethodsAreNamed() throws Exception {
        assertProblem(call(HttpMethod.GET, "/v1/conversations/c1/nothing", null, null), 404, "not-found",
                "/v1/conversations/c1/nothing");
        Reply r = call(HttpMethod.GET, "/v1/conversations/c1/voice", null, null);
        assertProblem(r, 405, "method-not-allowed", "GET");
        assertEquals("POST, OPTIONS", r.header("allow"));
    }

    @Test
    void widgetFilesAreServedAndOthersAreNot() throws Exception {
        assertProblem(call(HttpMethod.GET, "/widget/../secret.html", null, null), 404, "not-found", "");
        assertProblem(call(HttpMethod.GET, "/widget/none.html", null, null), 404, "not-found", "none.html");
    }

    @Test
    void dtmfIsQueuedOnTheConversationsSupportLeg() throws Exception {
        Reply r = call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json",
                "{\"digits\":\"1w2#\"}", "authorization", "Bearer " + KEY);
        assertEquals(202, r.status(), r.body());
        assertEquals("queued", r.json().get("status").asText());
        assertEquals("support", r.json().get("leg").asText());
        assertEquals("c1", r.json().get("conversationId").asText());
        assertFalse(r.json().get("id").asText().isEmpty());
        assertEquals(List.of("c1/support:1w2#"), conversations.pressed);
        Reply explicit = call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json",
                "{\"digits\":\"9\",\"leg\":\"support\"}", "authorization", "Bearer " + KEY);
        assertEquals(202, explicit.status(), explicit.body());
    }

    @Test
    void dtmfRefusalsAreProblemsWithTheReason() throws Exception {
        String auth = "Bearer " + KEY;
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", "{\"digits\":\"1\"}"),
                401, "unauthorized", "API key");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", "{\"digits\":\"1\"}",
                "authorization", "Bearer not-a-configured-key-000"), 401, "unauthorized", "not one of");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", "{\"digits\":\"12x4\"}",
                "authorization", auth), 400, "bad-dtmf-sequence", "position 3");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json",
                "{\"digits\":\"" + "1".repeat(40) + "\"}", "authorization", auth), 400, "dtmf-too-long", "32 keys");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", "{\"keys\":\"1\"}",
                "authorization", auth), 400, "unknown-field", "\"keys\"");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", "{\"digits\":\"\"}",
                "authorization", auth), 400, "missing-digits", "digits");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json",
                "{\"digits\":\"1\",\"leg\":\"../x\"}", "authorization", auth), 400, "bad-leg", "leg");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "text/plain", "1", "authorization", auth),
                415, "unsupported-media-type", "application/json");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/gone/dtmf", "application/json",
                "{\"digits\":\"1\"}", "authorization", auth), 404, "no-such-conversation", "gone");
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json",
                "{\"digits\":\"1\",\"leg\":\"leg-9\"}", "authorization", auth), 409, "no-live-leg", "leg-9");
        Reply get = call(HttpMethod.GET, "/v1/conversations/c1/dtmf", null, null, "authorization", auth);
        assertProblem(get, 405, "method-not-allowed", "GET");
        assertTrue(conversations.pressed.isEmpty(), conversations.pressed.toString());

        // A burst of 64 keys, then 4 a second: the third request of 32 keys waits 8 s for its keys.
        String keys = "{\"digits\":\"" + "5".repeat(32) + "\"}";
        assertEquals(202, call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", keys,
                "authorization", auth).status());
        assertEquals(202, call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", keys,
                "authorization", auth).status());
        Reply limited = call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", keys,
                "authorization", auth);
        assertProblem(limited, 429, "dtmf-rate-limited", "4 keys a second");
        assertEquals("8", limited.header("retry-after"));
        conversations.clock.advanceMillis(8_000);
        assertEquals(202, call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", keys,
                "authorization", auth).status());
    }

    @Test
    void dtmfOnALegThatCannotSendIsAConflict() throws Exception {
        conversations.supportMode = io.warmline.dtmf.DtmfMode.INFO;
        assertProblem(call(HttpMethod.POST, "/v1/conversations/c1/dtmf", "application/json", "{\"digits\":\"1\"}",
                "authorization", "Bearer " + KEY), 409, "dtmf-unavailable", "info");
    }

    @Test
    void pipelinedResponsesKeepTheRequestOrder() throws Exception {
        CompletableFuture<VoiceLegOpened> slow = new CompletableFuture<>();
        conversations.pending = slow;
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRoutes(() -> true, api));
        String token = token("c1");
        FullHttpRequest offer = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/v1/conversations/c1/voice", Unpooled.copiedBuffer(OFFER, StandardCharsets.UTF_8));
        offer.headers().set("content-type", "application/sdp").set("authorization", "Bearer " + token);
        ch.writeInbound(offer);
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz"));
        ch.runPendingTasks();
        assertNull(ch.readOutbound(), "the health answer waits for the offer's");
        slow.complete(new VoiceLegOpened("leg-9", "answer", "\"e\""));
        ch.runPendingTasks();
        FullHttpResponse first = ch.readOutbound();
        FullHttpResponse second = ch.readOutbound();
        assertEquals(201, first.status().code());
        assertEquals(200, second.status().code());
        first.release();
        second.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void anOfferCountsFromItsRequestsArrivalAndHearsWhenItsAnswerWasWritten() throws Exception {
        ManualClock clock = new ManualClock(7_000_000L);
        CompletableFuture<VoiceLegOpened> slow = new CompletableFuture<>();
        conversations.pending = slow;
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRoutes(() -> true, api, clock));
        FullHttpRequest offer = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/v1/conversations/c1/voice", Unpooled.copiedBuffer(OFFER, StandardCharsets.UTF_8));
        offer.headers().set("content-type", "application/sdp").set("authorization", "Bearer " + token("c1"));
        ch.writeInbound(offer);
        assertEquals(List.of(7_000_000L), conversations.offerReceivedNanos);

        clock.advanceMillis(30);
        AtomicLong written = new AtomicLong(-1);
        slow.complete(new VoiceLegOpened("leg-9", "answer", "\"e\"", written::set));
        ch.runPendingTasks();
        FullHttpResponse r = ch.readOutbound();
        assertEquals(201, r.status().code());
        assertEquals(37_000_000L, written.get(), "told when the 201 was written");
        r.release();
        ch.finishAndReleaseAll();
    }
}
