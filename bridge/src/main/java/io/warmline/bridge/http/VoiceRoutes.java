package io.warmline.bridge.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.warmline.bridge.auth.IssuedToken;
import io.warmline.bridge.auth.TokenClaims;
import io.warmline.bridge.conversation.Conversations;
import io.warmline.bridge.conversation.VoiceLegRef;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The widget's voice API. Tokens: {@code POST /v1/conversations/{id}/voice-tokens} with an API key mints a widget
 * token for the conversation. WHIP (RFC 9725): {@code POST …/voice} with an SDP offer and a widget token creates a
 * WebRTC leg ({@code 201}, the answer, {@code Location} and {@code ETag}); {@code PATCH} the leg's location with
 * trickled candidates (RFC 8840 fragments); {@code DELETE} it to hang up. The leg's resource accepts the token that
 * created it even after that token expired (a call outlives its token), or the backend's API key.
 */
final class VoiceRoutes {
    private static final Logger log = LoggerFactory.getLogger(VoiceRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SDP = "application/sdp";
    static final String SDP_FRAG = "application/trickle-ice-sdpfrag";
    /** Browser offers with one audio section are 2-6 KB; more is not an audio offer. */
    static final int MAX_SDP_BYTES = 16 * 1024;
    static final int MAX_FRAGMENT_BYTES = 8 * 1024;

    private final ApiAuth auth;
    private final Conversations conversations;

    VoiceRoutes(ApiAuth auth, Conversations conversations) {
        this.auth = auth;
        this.conversations = conversations;
    }

    /** {@code POST /v1/conversations/{id}/voice-tokens}. */
    HttpReply mintToken(ApiRequest r, String conversationId) {
        String keyName = auth.requireApiKey(r);
        IssuedToken t = auth.tokens().mint(conversationId, auth.clock().instant());
        log.info("Voice token {} for conversation {} minted with API key {}, valid until {}", t.claims().tokenId(),
                conversationId, keyName, t.claims().expiresAt());
        String body = JSON.createObjectNode()
                .put("token", t.token())
                .put("tokenId", t.claims().tokenId())
                .put("conversationId", conversationId)
                .put("expiresAt", t.claims().expiresAt().toString())
                .put("expiresIn", auth.tokens().ttl().toSeconds())
                .put("voiceUrl", voicePath(conversationId))
                .toString();
        return new HttpReply(201, "application/json", body.getBytes(StandardCharsets.UTF_8), java.util.Map.of())
                .withHeader("Cache-Control", "no-store");
    }

    /** {@code POST /v1/conversations/{id}/voice}: the WHIP offer. */
    CompletionStage<HttpReply> offer(ApiRequest r, String conversationId) {
        TokenClaims claims = auth.requireToken(r, conversationId);
        requireType(r, SDP);
        if (r.body().length > MAX_SDP_BYTES) {
            throw new ApiProblem(413, "body-too-large", "the SDP offer is " + r.body().length
                    + " bytes; at most " + MAX_SDP_BYTES);
        }
        if (r.body().length == 0) {
            throw new ApiProblem(400, "empty-offer", "the request body must be the SDP offer");
        }
        // Answered on this (the HTTP) loop; the leg joins its conversation's media on that loop afterwards.
        var opening = conversations.openVoiceLeg(conversationId, r.bodyText(), claims.tokenId(), r.receivedNanos());
        return opening.thenApply(opened -> {
            log.info("Voice leg {} opened in conversation {} with token {}", opened.legId(), conversationId,
                    claims.tokenId());
            // RFC 9725 §4.2: 201 with the answer and the WHIP session's URL; §4.3.1 the ETag of the ICE session.
            return new HttpReply(201, SDP, opened.answerSdp().getBytes(StandardCharsets.UTF_8), java.util.Map.of())
                    .withHeader("Location", legPath(conversationId, opened.legId()))
                    .withHeader("ETag", opened.etag())
                    .withHeader("Accept-Patch", SDP_FRAG)
                    .withHeader("Cache-Control", "no-store")
                    .whenWritten(opened.answerSent());
        });
    }

    /** {@code OPTIONS …/voice} without a preflight: what the endpoint accepts (RFC 9725 §4.2). */
    HttpReply options(boolean leg) {
        HttpReply reply = HttpReply.empty(204).withHeader("Allow", leg ? "PATCH, DELETE, OPTIONS" : "POST, OPTIONS");
        return leg ? reply.withHeader("Accept-Patch", SDP_FRAG) : reply.withHeader("Accept-Post", SDP);
    }

    /**
     * {@code PATCH …/voice/{leg}} (RFC 9725 §4.3): with {@code If-Match: *} an ICE restart ({@code 200} with our new
     * credentials and the new ICE session's {@code ETag}); with the ICE session's entity tag, trickled candidates
     * ({@code 204}); a stale tag gets {@code 412}, none {@code 428} (RFC 6585 §3: the client must say which session it
     * patches). A bad fragment gets {@code 400} naming the line.
     */
    CompletionStage<HttpReply> patch(ApiRequest r, String conversationId, String legId) {
        VoiceLegRef leg = authorizeLeg(r, conversationId, legId);
        requireType(r, SDP_FRAG);
        if (r.body().length > MAX_FRAGMENT_BYTES) {
            throw new ApiProblem(413, "body-too-large", "the SDP fragment is " + r.body().length
                    + " bytes; at most " + MAX_FRAGMENT_BYTES);
        }
        String ifMatch = r.header("if-match");
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ApiProblem(428, "if-match-required", "PATCH needs If-Match: the ETag of the leg's ICE session ("
                    + leg.etag() + ") to trickle candidates, or * to restart ICE (RFC 9725 §4.3.1)");
        }
        if (ifMatch.strip().equals("*")) {
            return conversations.restartIce(conversationId, legId, r.bodyText()).thenApply(restarted -> {
                log.info("Voice leg {} of conversation {}: ICE restarted", legId, conversationId);
                return new HttpReply(200, SDP_FRAG, restarted.sdpFragment().getBytes(StandardCharsets.UTF_8),
                        java.util.Map.of()).withHeader("ETag", restarted.etag()).withHeader("Cache-Control", "no-store");
            });
        }
        return conversations.trickle(conversationId, legId, ifMatch.strip(), r.bodyText())
                .thenApply(v -> HttpReply.empty(204));
    }

    /** {@code DELETE …/voice/{leg}}: hang up (RFC 9725 §4.2: 200). */
    CompletionStage<HttpReply> delete(ApiRequest r, String conversationId, String legId) {
        authorizeLeg(r, conversationId, legId);
        return conversations.closeVoiceLeg(conversationId, legId, "deleted-by-client").thenApply(v -> {
            log.info("Voice leg {} of conversation {} deleted", legId, conversationId);
            return HttpReply.json(200, "{\"status\":\"closed\"}");
        });
    }

    private VoiceLegRef authorizeLeg(ApiRequest r, String conversationId, String legId) {
        if (auth.hasApiKey(r)) {
            return requireLeg(conversationId, legId);
        }
        TokenClaims claims = auth.requireTokenIgnoringExpiry(r, conversationId);
        VoiceLegRef leg = requireLeg(conversationId, legId);
        if (!leg.tokenId().equals(claims.tokenId())) {
            throw new ApiProblem(403, "not-your-leg", "leg " + legId
                    + " was opened with another token; use that token or an API key");
        }
        return leg;
    }

    private VoiceLegRef requireLeg(String conversationId, String legId) {
        return conversations.voiceLeg(conversationId, legId).orElseThrow(() -> new ApiProblem(404, "no-such-leg",
                "no live voice leg " + legId + " in conversation " + conversationId));
    }

    private static void requireType(ApiRequest r, String type) {
        String got = r.mediaType();
        if (!type.equals(got)) {
            throw new ApiProblem(415, "unsupported-media-type", "Content-Type must be " + type + ", got "
                    + (got == null ? "none" : got)).header("Accept-Post", type);
        }
    }

    static String voicePath(String conversationId) {
        return "/v1/conversations/" + conversationId + "/voice";
    }

    static String legPath(String conversationId, String legId) {
        return voicePath(conversationId) + "/" + legId;
    }

    static CompletionStage<HttpReply> done(HttpReply r) {
        return CompletableFuture.completedFuture(r);
    }
}
