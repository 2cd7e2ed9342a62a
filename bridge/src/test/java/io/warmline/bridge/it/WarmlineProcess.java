package io.warmline.bridge.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Warmline server as a separate JVM started from the test's class path: {@code io.warmline.bridge.Main
 * --config FILE}, with paranoid Netty leak detection. Started means its output said {@code Warmline ready}.
 */
final class WarmlineProcess implements AutoCloseable {
    /**
     * Start-up is CPU work at a fixed amount (class loading, the DTLS and offer-answering warm-ups, and the media
     * warm-up of up to 25 s where configured), so its time grows with the machine's load: 5-10 s on a quiet 2-core
     * machine, 85 s from process start to ready at load average 28 for a node without media warm-up (a DTMF node),
     * and more than 60 s in 11 of 15 starts at load average 25-35. A node that never gets ready still fails here;
     * this only bounds how long that takes.
     */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final Process process;
    private final OutputWatcher output;
    private final String httpAddress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private WarmlineProcess(Process process, OutputWatcher output, String httpAddress) {
        this.process = process;
        this.output = output;
        this.httpAddress = httpAddress;
    }

    /**
     * Starts the server and waits (bounded) for its ready line.
     *
     * @param config the YAML file
     * @param httpAddress host:port of its HTTP listener, for /healthz
     * @param env extra environment variables (secrets named by the config)
     * @param dir where its console output is copied (warmline.log)
     */
    static WarmlineProcess start(Path config, String httpAddress, Map<String, String> env, Path dir)
            throws IOException, InterruptedException {
        return start(config, httpAddress, env, dir, List.of("-Dio.netty.leakDetection.level=paranoid", "-Xmx512m"));
    }

    /** As {@link #start(Path, String, Map, Path)} with the given JVM options (a benchmark runs without leak checks). */
    static WarmlineProcess start(Path config, String httpAddress, Map<String, String> env, Path dir,
            List<String> jvmOptions) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire may put only a manifest jar on java.class.path; it also publishes the real test class path.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, "io.warmline.bridge.Main", "--config", config.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        OutputWatcher output = new OutputWatcher("warmline-output", process.getInputStream(), dir.resolve("warmline.log"));
        WarmlineProcess node = new WarmlineProcess(process, output, httpAddress);
        if (!output.await(line -> line.contains("Warmline ready"), READY_TIMEOUT)) {
            node.close();
            throw new IllegalStateException("Warmline did not log 'Warmline ready' within " + READY_TIMEOUT
                    + (process.isAlive() ? "" : " (exited with " + process.exitValue() + ")")
                    + "; last output:\n" + output.tail(60));
        }
        return node;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** GET http://{http listen}{path}; the status code. */
    int httpGet(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + httpAddress + path))
                .timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** SIGTERM: the server drains. */
    void terminate() {
        process.destroy();
    }

    /** The exit code, or null when the process is still running after {@code timeout}. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    OutputWatcher output() {
        return output;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        output.join(Duration.ofSeconds(2));
    }
}
