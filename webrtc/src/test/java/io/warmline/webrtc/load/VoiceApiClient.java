package io.warmline.webrtc.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warmline's {@code /v1} voice API as the company backend and the widget use it: mint a widget token with the API
 * key, post the WHIP offer with the token, escalate with the API key, hang up. Thread-safe (one HTTP client).
 */
final class VoiceApiClient {
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Za-z_]+)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    VoiceApiClient(String base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    record Reply(int status, String body, String location) {
        String describe() {
            return "HTTP " + status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    /** {@code POST /v1/conversations/{id}/voice-tokens} with the API key; returns the widget token. */
    String mintToken(String conversation) throws IOException, InterruptedException {
        Reply r = send("POST", "/v1/conversations/" + conversation + "/voice-tokens", null, "", apiKey);
        Matcher m = TOKEN.matcher(r.body);
        if (r.status != 201 || !m.find()) {
            throw new IOException("minting a token for " + conversation + ": " + r.describe());
        }
        return m.group(1);
    }

    /** The WHIP offer: {@code POST /v1/conversations/{id}/voice} with the widget token; 201 carries the answer. */
    Reply offer(String conversation, String token, String sdp) throws IOException, InterruptedException {
        return send("POST", "/v1/conversations/" + conversation + "/voice", "application/sdp", sdp, token);
    }

    /** {@code POST /v1/conversations/{id}/escalations} to a configured target, with the API key. */
    Reply escalate(String conversation, String target) throws IOException, InterruptedException {
        return send("POST", "/v1/conversations/" + conversation + "/escalations", "application/json",
                "{\"target\":\"" + target + "\"}", apiKey);
    }

    /** The escalation's state ({@code DIALING}, {@code CONNECTED}, {@code FAILED}, ...), or "HTTP nnn". */
    String escalationState(String location) throws IOException, InterruptedException {
        Reply r = send("GET", location, null, null, apiKey);
        Matcher m = STATE.matcher(r.body);
        return r.status == 200 && m.find() ? m.group(1).toUpperCase(java.util.Locale.ROOT) : "HTTP " + r.status;
    }

    /**
     * Warmline's bridge counters from {@code GET /metrics} (Prometheus text, API key): ticks, skipped and late ticks,
     * output frames due and late, in that order; null when the scrape fails (an older Warmline has no such route).
     */
    long[] bridgeCounters() throws InterruptedException {
        String[] names = {"warmline_media_ticks_total", "warmline_media_ticks_skipped_total",
            "warmline_media_ticks_late_total", "warmline_media_frames_due_total", "warmline_media_frames_late_total"};
        try {
            Reply r = send("GET", "/metrics", null, null, apiKey);
            if (r.status != 200) {
                return null;
            }
            long[] values = new long[names.length];
            for (int i = 0; i < names.length; i++) {
                Matcher m = Pattern.compile("(?m)^" + names[i] + "(?:\\{[^}]*\\})? ([0-9.eE+]+)$").matcher(r.body);
                if (!m.find()) {
                    return null;
                }
                values[i] = (long) Double.parseDouble(m.group(1));
            }
            return values;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code DELETE} of a leg or an escalation's location. */
    Reply delete(String location, String bearer) throws IOException, InterruptedException {
        return send("DELETE", location, null, null, bearer);
    }

    private Reply send(String method, String path, String contentType, String body, String bearer)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("location").orElse(null));
    }
}
