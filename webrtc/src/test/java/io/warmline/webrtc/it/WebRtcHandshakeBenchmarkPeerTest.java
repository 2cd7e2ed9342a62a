package io.warmline.webrtc.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.warmline.webrtc.WebRtcEndpoint;
import io.warmline.webrtc.WebRtcEndpointOptions;
import io.warmline.webrtc.WebRtcLeg;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures WebRTC handshakes against libwebrtc on loopback: offer accepted → DTLS done on a validated path, one at a
 * time (latency) and in batches started together (handshakes per second). A measurement, not a test: it runs only
 * with {@code -Dwarmline.bench=true} and writes target/bench/webrtc-handshake.txt; it asserts only that every leg
 * connected. Like the other libwebrtc tests it runs inside the test's network namespace ({@link TestNamespace}).
 *
 * <pre>mvn -B -pl webrtc -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=WebRtcHandshakeBenchmarkPeerTest
 *     -Dwarmline.bench=true</pre>
 */
@Tag(TestNamespace.TAG)
class WebRtcHandshakeBenchmarkPeerTest {

    private static final Duration T = Duration.ofSeconds(20);

    @Test
    void handshakes() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("warmline.bench"), "benchmark: run with -Dwarmline.bench=true");
        TestNamespace namespace = TestNamespace.require();
        int warmup = Integer.getInteger("warmline.bench.warmup", 5);
        int sequential = Integer.getInteger("warmline.bench.sequential", 30);
        int batch = Integer.getInteger("warmline.bench.batch", 10);
        int batches = Integer.getInteger("warmline.bench.batches", 3);
        NioEventLoopGroup group = new NioEventLoopGroup(2);
        StringBuilder report = new StringBuilder();
        try (WebRtcEndpoint endpoint = WebRtcEndpoint.start(group,
                WebRtcEndpointOptions.on(List.of(InetAddress.getByName("127.0.0.1")))
                        .withPeerFilter(namespace::contains))) {
            for (int i = 0; i < warmup; i++) {
                one(endpoint, group.next());
            }
            long[] millis = new long[sequential];
            List<String> timelines = new ArrayList<>();
            for (int i = 0; i < sequential; i++) {
                WebRtcLeg leg = one(endpoint, group.next());
                millis[i] = leg.handshakeNanos() / 1_000_000;
                timelines.add(leg.handshakeTimeline());
            }
            Arrays.sort(millis);
            report.append(String.format("sequential: %d handshakes (after %d warm-up), offer accepted -> DTLS done: "
                    + "median %d ms, p90 %d ms, max %d ms, min %d ms%n", sequential, warmup, millis[sequential / 2],
                    millis[(int) (sequential * 0.9)], millis[sequential - 1], millis[0]));
            report.append("sequential, median of each step (ms after the offer was accepted): ")
                    .append(medianTimeline(timelines)).append('\n');
            timelines.forEach(t -> report.append("  ").append(t).append('\n'));

            for (int b = 0; b < batches; b++) {
                List<LibWebRtcPeer> peers = new ArrayList<>();
                List<String> offers = new ArrayList<>();
                try {
                    for (int i = 0; i < batch; i++) {
                        LibWebRtcPeer p = new LibWebRtcPeer(1000, 600);
                        peers.add(p);
                        offers.add(p.createOffer(T));
                    }
                    List<CompletableFuture<Void>> done = new ArrayList<>();
                    List<WebRtcLeg> legs = new ArrayList<>();
                    long start = System.nanoTime();
                    for (int i = 0; i < batch; i++) {
                        CompletableFuture<Void> connected = new CompletableFuture<>();
                        done.add(connected);
                        EventLoop loop = group.next();
                        WebRtcLeg leg = endpoint.accept(offers.get(i), loop, new WebRtcLeg.Events() {
                            @Override
                            public void onConnected(WebRtcLeg l) {
                                connected.complete(null);
                            }
                        });
                        legs.add(leg);
                        peers.get(i).applyAnswer(leg.answerSdp(), T);
                    }
                    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                    long elapsed = System.nanoTime() - start;
                    long max = legs.stream().mapToLong(WebRtcLeg::handshakeNanos).max().orElse(0) / 1_000_000;
                    report.append(String.format("batch %d, median of each step: %s%n", b + 1,
                            medianTimeline(legs.stream().map(WebRtcLeg::handshakeTimeline).toList())));
                    report.append(String.format("batch %d: %d handshakes started together, all done in %d ms "
                            + "(%.1f handshakes/s), slowest %d ms%n", b + 1, batch, elapsed / 1_000_000,
                            batch / (elapsed / 1e9), max));
                    legs.forEach(WebRtcLeg::close);
                } finally {
                    peers.forEach(LibWebRtcPeer::close);
                }
            }
            report.append("endpoint: ").append(endpoint.stats()).append('\n');
            assertEquals(0, endpoint.stats().dtlsFailures());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        write(report.toString());
    }

    /** Per step label, the median of the legs' values ({@code -} where fewer than half reached it). */
    private static String medianTimeline(List<String> timelines) {
        java.util.Map<String, List<Double>> steps = new java.util.LinkedHashMap<>();
        for (String t : timelines) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("flights=\\[([^]]*)]").matcher(t);
            StringBuilder flights = new StringBuilder();
            if (m.find()) {
                String[] f = m.group(1).split(",");
                for (int i = 0; i < Math.min(2, f.length); i++) {
                    flights.append("flight").append(i + 1).append('=').append(f[i].isEmpty() ? "-" : f[i]).append(' ');
                }
            }
            for (String token : t.replaceAll("flights=\\[[^]]*]", flights.toString().trim()).split(" ")) {
                int eq = token.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                List<Double> values = steps.computeIfAbsent(token.substring(0, eq), k -> new ArrayList<>());
                String v = token.substring(eq + 1);
                if (!v.equals("-")) {
                    values.add(Double.parseDouble(v));
                }
            }
        }
        StringBuilder b = new StringBuilder();
        steps.forEach((label, values) -> {
            values.sort(null);
            b.append(label).append('=').append(values.size() * 2 < timelines.size() ? "-"
                    : String.format("%.1f", values.get(values.size() / 2))).append(' ');
        });
        return b.toString().trim();
    }

    /** One libwebrtc peer from offer to connected; returns the closed leg (its measure and timeline). */
    private static WebRtcLeg one(WebRtcEndpoint endpoint, EventLoop loop) throws Exception {
        try (LibWebRtcPeer peer = new LibWebRtcPeer(1000, 600)) {
            String offer = peer.createOffer(T);
            CompletableFuture<Void> connected = new CompletableFuture<>();
            WebRtcLeg leg = endpoint.accept(offer, loop, new WebRtcLeg.Events() {
                @Override
                public void onConnected(WebRtcLeg l) {
                    connected.complete(null);
                }
            });
            peer.applyAnswer(leg.answerSdp(), T);
            connected.get(20, TimeUnit.SECONDS);
            leg.close();
            return leg;
        }
    }

    private static void write(String report) throws IOException {
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("webrtc-handshake.txt"), report);
        System.out.print(report);
    }
}
