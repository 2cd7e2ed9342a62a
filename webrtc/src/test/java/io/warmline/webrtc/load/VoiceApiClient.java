package io.warmline.webrtc.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warmline's {@code /v1} voice API as the company backend and the widget use it: mint a widget token with the API
 * key, post the WHIP offer with the token, escalate with the API key, hang up. Thread-safe.
 *
 * <p>{@link Transport#BLOCKING} (the default) sends each request and reads its response on the calling thread over
 * HTTP/1.1 with keep-alive ({@link HttpURLConnection}), so the time the caller measures around a request is the
 * server's and the socket's, not the client's. {@link Transport#JDK} is {@link HttpClient} as the load tool used
 * before: each request crosses its selector thread and its executor's threads, which in a JVM whose cores are
 * busy with libwebrtc's threads added milliseconds of the client's own to "offer posted -> 201".
 */
final class VoiceApiClient {
    enum Transport { BLOCKING, JDK }

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Za-z_]+)\"");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String base;
    private final String apiKey;
    private final Transport transport;
    private final HttpClient http;

    VoiceApiClient(String base, String apiKey) {
        this(base, apiKey, Transport.BLOCKING);
    }

    VoiceApiClient(String base, String apiKey, Transport transport) {
        this.base = base;
        this.apiKey = apiKey;
        this.transport = transport;
        this.http = transport == Transport.JDK
                ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build() : null;
    }

    Transport transport() {
        return transport;
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
        return transport == Transport.JDK ? sendJdk(method, path, contentType, body, bearer)
                : sendBlocking(method, path, contentType, body, bearer);
    }

    private Reply sendBlocking(String method, String path, String contentType, String body, String bearer)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setConnectTimeout(2_000);
        c.setReadTimeout((int) TIMEOUT.toMillis());
        c.setUseCaches(false);
        c.setRequestMethod(method);
        if (contentType != null) {
            c.setRequestProperty("Content-Type", contentType);
        }
        if (bearer != null) {
            c.setRequestProperty("Authorization", "Bearer " + bearer);
        }
        if (body != null && !method.equals("GET") && !method.equals("DELETE")) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            c.setDoOutput(true);
            // Streamed with its length: sent as written, and never silently re-sent.
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String text = "";
        if (in != null) {
            // Read to the end and closed: the connection goes back to the keep-alive cache.
            try (in) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return new Reply(status, text, c.getHeaderField("Location"));
    }

    private Reply sendJdk(String method, String path, String contentType, String body, String bearer)
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
