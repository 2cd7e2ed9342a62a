package io.warmline.bridge.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.warmline.webrtc.it.TestNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) with a fake microphone playing a WAV file, driven through the
 * DevTools protocol on loopback: {@link #evaluate} runs a JavaScript expression in the page and returns its value.
 * Each instance has a fresh profile and no background networking (the machine has no internet).
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final OutputWatcher output;
    private final DevTools devTools;
    private final Path profile;

    private Chromium(Process process, OutputWatcher output, DevTools devTools, Path profile) {
        this.process = process;
        this.output = output;
        this.devTools = devTools;
        this.profile = profile;
    }

    /** Text on the command line of every process of this browser (its profile directory), to find them in /proc. */
    String processMarker() {
        return "--user-data-dir=" + profile.toAbsolutePath();
    }

    static String binary() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("chromium is not installed (apt-get install -y chromium; .ci/run does)");
    }

    /**
     * Starts Chromium on {@code url} with {@code wav} as its microphone; its files go under {@code dir}. Only inside
     * the test's network namespace ({@link TestNamespace}): elsewhere its candidates include the host's addresses.
     */
    static Chromium launch(Path dir, Path wav, String url) throws IOException, InterruptedException {
        TestNamespace.require();
        Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
        List<String> command = new ArrayList<>(List.of(binary(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions",
                "--autoplay-policy=no-user-gesture-required",
                // Loopback candidates (ignored by default): the node under test listens on 127.0.0.1.
                "--allow-loopback-in-peer-connection",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + wav.toAbsolutePath(),
                "--user-data-dir=" + profile.toAbsolutePath(),
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        OutputWatcher output = new OutputWatcher("chromium-output", process.getInputStream(),
                dir.resolve("chromium.log"));
        try {
            // Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" once it listens.
            if (!output.await(line -> line.contains("DevTools listening on ws://"), START_TIMEOUT)) {
                throw new IllegalStateException("Chromium did not open DevTools within " + START_TIMEOUT
                        + (process.isAlive() ? "" : " (exited)") + "; output:\n" + output.tail(40));
            }
            String line = output.lines().stream().filter(l -> l.contains("DevTools listening on ws://")).findFirst()
                    .orElseThrow();
            String hostPort = line.substring(line.indexOf("ws://") + 5, line.indexOf("/devtools/"));
            int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            return new Chromium(process, output, DevTools.connect(pageWebSocket(port, deadline), Duration.ofSeconds(10)),
                    profile);
        } catch (RuntimeException | IOException | InterruptedException e) {
            process.destroyForcibly();
            throw e;
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("cannot connect to Chromium's DevTools: " + e, e);
        }
    }

    private static String pageWebSocket(int port, long deadline) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/json/list")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode t : JSON.readTree(r.body())) {
                if ("page".equals(t.path("type").asText()) && t.hasNonNull("webSocketDebuggerUrl")) {
                    return t.get("webSocketDebuggerUrl").asText();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Chromium has no page target: " + r.body());
            }
            // The page target appears just after DevTools listens; ask again shortly (bounded by the deadline).
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until the page Chromium was started on has loaded and defined {@code window.warmline}. Until then the
     * page may still be navigating (its context replaced mid-evaluation), so a failed evaluation is asked again.
     */
    void awaitPage(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                if (evaluate("new Promise(res => { const t0 = performance.now(); const check = () => "
                        + "(document.readyState === 'complete' && window.warmline) ? res(true)"
                        + " : (performance.now() - t0 > 2000 ? res(false) : setTimeout(check, 50)); check(); })",
                        Duration.ofSeconds(5)).asBoolean()) {
                    return;
                }
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
        }
        throw new IllegalStateException("the page did not load within " + timeout + ": " + last + "\n" + outputTail());
    }

    /** Evaluates {@code expression} in the page (awaiting a promise) and returns its JSON value. */
    JsonNode evaluate(String expression, Duration timeout) throws Exception {
        ObjectNode p = DevTools.params().put("expression", expression).put("awaitPromise", true)
                .put("returnByValue", true);
        JsonNode r = devTools.call("Runtime.evaluate", p, timeout);
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException("page error for " + expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** The page's {@code warmline.report()}: connection state and audio RTP statistics. */
    JsonNode report() throws Exception {
        JsonNode v = evaluate("window.warmline ? window.warmline.report() : '{}'", Duration.ofSeconds(5));
        return JSON.readTree(v.asText("{}"));
    }

    String outputTail() {
        return output.tail(40);
    }

    @Override
    public void close() throws InterruptedException {
        devTools.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        output.join(Duration.ofSeconds(2));
    }
}
