package io.warmline.bridge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.bridge.auth.WidgetTokens;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The voice API's refusals against the real server over loopback, each with its status and a problem body naming
 * what was wrong: a token for another conversation, an expired token, a missing one, an oversized body, a wrong
 * content type, too many legs, and escalations without a key or to an unconfigured target. Offers are a browser's
 * audio offer (no media flows; the legs are deleted again).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VoiceApiPeerTest {
    private VoiceNode node;
    private String offer;

    @BeforeAll
    void start() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        offer = VoiceNode.browserAudioOffer();
        node = new VoiceNode("VoiceApiPeerTest", 20, "");
    }

    @AfterAll
    void stop() throws Exception {
        if (node != null) {
            node.close();
            String log = node.process.output().text();
            assertFalse(log.contains(node.apiKey), "the API key was logged");
            assertFalse(log.contains(node.tokenSecret), "the token secret was logged");
        }
    }

    private VoiceNode.Reply post(String conversation, String token, String contentType, String body) throws Exception {
        return node.send("POST", "/v1/conversations/" + conversation + "/voice", contentType, body,
                token == null ? null : "Bearer " + token);
    }

    private static void assertProblem(VoiceNode.Reply r, int status, String detailPart) throws Exception {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.header("content-type"));
        assertTrue(r.json().get("detail").asText().contains(detailPart), r.body());
    }

    @Test
    void aTokenForAnotherConversationIsForbidden() throws Exception {
        String token = node.token("conv-a");
        VoiceNode.Reply r = post("conv-b", token, "application/sdp", offer);
        assertProblem(r, 403, "another conversation");
        assertTrue(r.header("www-authenticate").startsWith("Bearer "), r.headers().toString());
    }

    @Test
    void anExpiredTokenIsUnauthorized() throws Exception {
        // Signed with the node's secret but minted ten minutes ago: only its expiry is wrong.
        String expired = new WidgetTokens(node.tokenSecret.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(5),
                new SecureRandom()).mint("conv-x", Instant.now().minus(Duration.ofMinutes(10))).token();
        VoiceNode.Reply r = post("conv-x", expired, "application/sdp", offer);
        assertProblem(r, 401, "expired");
        assertTrue(r.header("www-authenticate").contains("invalid_token"));
    }

    @Test
    void missingAndGarbledTokensAreUnauthorized() throws Exception {
        assertProblem(post("conv-x", null, "application/sdp", offer), 401, "no bearer token");
        assertProblem(post("conv-x", "wt1.AAAA.BBBB", "application/sdp", offer), 401, "signature");
    }

    @Test
    void oversizedBodiesAreRefusedWith413() throws Exception {
        String token = node.token("conv-big");
        assertProblem(post("conv-big", token, "application/sdp", "v=0\r\n" + "a=x\r\n".repeat(4000)), 413,
                "at most 16384");
        // Beyond the server's request bound the body is not even read.
        assertProblem(post("conv-big", token, "application/sdp", "a".repeat(200_000)), 413, "exceeds");
    }

    @Test
    void aWrongContentTypeIs415() throws Exception {
        assertProblem(post("conv-ct", node.token("conv-ct"), "application/json", "{}"), 415, "application/sdp");
    }

    @Test
    void patchTricklesWithTheEtagAndIfMatchStarRestartsIce() throws Exception {
        String token = node.token("conv-patch");
        VoiceNode.Reply created = post("conv-patch", token, "application/sdp", offer);
        assertEquals(201, created.status(), created.body());
        String location = created.header("location");
        String etag = created.header("etag");
        String auth = "Bearer " + token;
        String frag = "a=ice-ufrag:Qw7t\r\na=ice-pwd:f4KxY2nB8vR1mZ6pL0sT9hUe\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                + "a=mid:0\r\na=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n";

        assertProblem(patch(location, auth, frag, null), 428, "If-Match");
        assertEquals(204, patch(location, auth, frag, etag).status());
        assertEquals(204, patch(location, auth, "a=end-of-candidates\r\n", etag).status());
        assertProblem(patch(location, auth, "a=candidate:2 1 udp 1 127.0.0.1 50002 typ host\r\n", etag), 400,
                "after a=end-of-candidates");
        assertProblem(patch(location, auth, "a=candidate:2 2 udp 1 127.0.0.1 50002 typ host\r\n", etag), 400,
                "line 1: component 2");
        assertProblem(patch(location, auth, frag, "\"not-the-session\""), 412, "does not match");

        // RFC 9725 §4.3.3: the browser's new credentials; our new ones come back with the new session's ETag.
        String restart = "a=ice-ufrag:Rk9s\r\na=ice-pwd:Zq1wXe2rTy3uIo4pAs5dFg6h\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                + "a=mid:0\r\n";
        VoiceNode.Reply restarted = patch(location, auth, restart, "*");
        assertEquals(200, restarted.status(), restarted.body());
        assertEquals("application/trickle-ice-sdpfrag", restarted.header("content-type"));
        assertTrue(restarted.body().startsWith("a=ice-lite\r\na=ice-ufrag:"), restarted.body());
        assertTrue(restarted.body().contains("a=ice-pwd:"), restarted.body());
        String newEtag = restarted.header("etag");
        assertTrue(newEtag.startsWith("\"") && !newEtag.equals(etag), newEtag + " after " + etag);
        assertTrue(restarted.body().contains("a=ice-ufrag:" + newEtag.substring(1, newEtag.length() - 1) + "\r\n"),
                "the ETag names the new ICE session: " + restarted.body());
        assertFalse(created.body().contains(restarted.body().split("\r\n")[1]), "new credentials");
        assertProblem(patch(location, auth, "a=end-of-candidates\r\n", etag), 412, "does not match");
        assertEquals(204, patch(location, auth, "a=ice-ufrag:Rk9s\r\na=end-of-candidates\r\n", newEtag).status());
        assertProblem(patch(location, auth, "a=ice-ufrag:Qw7t\r\n", newEtag), 400, "not the ICE session's");
        assertProblem(patch(location, auth, "a=end-of-candidates\r\n", "*"), 400, "a=ice-pwd");

        assertEquals(200, node.send("DELETE", location, null, null, auth).status());
        assertTrue(node.process.output().lines().stream().noneMatch(l -> l.contains("Zq1wXe2rTy3uIo4pAs5dFg6h")),
                "an ICE password was logged");
    }

    private VoiceNode.Reply patch(String location, String auth, String body, String ifMatch) throws Exception {
        return node.send("PATCH", location, "application/trickle-ice-sdpfrag", body, auth,
                ifMatch == null ? java.util.Map.of() : java.util.Map.of("If-Match", ifMatch));
    }

    @Test
    void aThirdLegIsRefusedUntilOneIsDeleted() throws Exception {
        String token = node.token("conv-limit");
        VoiceNode.Reply first = post("conv-limit", token, "application/sdp", offer);
        assertEquals(201, first.status(), first.body());
        assertEquals("application/sdp", first.header("content-type"));
        assertTrue(first.body().contains("a=ice-lite"), first.body());
        String location = first.header("location");
        assertTrue(location.startsWith("/v1/conversations/conv-limit/voice/"), location);
        assertTrue(first.header("etag").startsWith("\""), first.headers().toString());
        assertEquals(201, post("conv-limit", token, "application/sdp", offer).status());
        assertProblem(post("conv-limit", token, "application/sdp", offer), 409, "at most 2");

        VoiceNode.Reply deleted = node.send("DELETE", location, null, null, "Bearer " + token);
        assertEquals(200, deleted.status(), deleted.body());
        assertEquals(404, node.send("DELETE", location, null, null, "Bearer " + token).status());
        assertEquals(201, post("conv-limit", token, "application/sdp", offer).status());
    }

    @Test
    void anOfferWithoutAudioIsRefusedWithItsReason() throws Exception {
        String noFingerprint = offer.replaceAll("a=fingerprint:[^\r\n]*\r\n", "");
        VoiceNode.Reply r = post("conv-bad", node.token("conv-bad"), "application/sdp", noFingerprint);
        assertEquals(400, r.status(), r.body());
        assertTrue(r.json().get("detail").asText().contains("fingerprint"), r.body());
    }

    @Test
    void anEscalationToABusyLineFailsWithItsReason() throws Exception {
        String conv = "conv-busy";
        String token = node.token(conv);
        assertEquals(201, post(conv, token, "application/sdp", offer).status());
        try (Sipp.Running uas = node.uas("busy", "uas-486.xml").set("conv", conv)
                .set("uui", java.util.HexFormat.of().formatHex(conv.getBytes(StandardCharsets.UTF_8)))
                .start().awaitListening()) {
            VoiceNode.Reply created = node.escalate(conv);
            assertEquals(201, created.status(), created.body());
            assertEquals("support", created.json().get("target").asText());
            Sipp.Result busy = uas.await();
            assertTrue(busy.succeeded(), "support line: " + busy.describe());
            assertTrue(node.process.output().await(l -> l.contains("Escalation") && l.contains("-> FAILED: busy"),
                    Duration.ofSeconds(10)), node.process.output().tail(10));
            VoiceNode.Reply state = node.send("GET", created.header("location"), null, null, "Bearer " + node.apiKey);
            assertEquals(200, state.status(), state.body());
            assertEquals("FAILED", state.json().get("state").asText(), state.body());
            assertEquals("busy", state.json().get("reason").asText(), state.body());
        }
    }

    @Test
    void escalationsNeedTheKeyAndAConfiguredTarget() throws Exception {
        assertProblem(node.send("POST", "/v1/conversations/conv-e/escalations", "application/json",
                "{\"target\":\"support\"}", null), 401, "API key");
        assertProblem(node.send("POST", "/v1/conversations/conv-e/escalations", "application/json",
                "{\"target\":\"+19005550100\"}", "Bearer " + node.apiKey), 422, "configured: support");
    }
}
