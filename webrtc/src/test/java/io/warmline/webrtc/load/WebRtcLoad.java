package io.warmline.webrtc.load;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The WebRTC load client of {@code sipp/webrtc-bench.sh}: N concurrent visitors in this one JVM, each a libwebrtc
 * peer connection (webrtc-java, headless: no sound card) sending a tone in real time. Each mints a widget token with
 * the API key, posts its offer to Warmline's WHIP endpoint in its own conversation, waits for ICE and DTLS, and has
 * the conversation escalated to the configured target (a SIPp support line that echoes PCMU). With every leg up,
 * it measures a steady window: the CPU of Warmline, of this client and of SIPp from {@code /proc}, and per leg the
 * RTP sent and received and the received 10 ms frames that carry the leg's own tone back (visitor → Warmline (Opus
 * decode, mix, PCMU encode) → SIPp echo → Warmline (PCMU decode, mix, Opus encode) → visitor). Then it hangs up.
 *
 * <pre>
 *   java -cp ... io.warmline.webrtc.load.WebRtcLoad --url http://127.0.0.1:21001 --api-key-env BENCH_API_KEY \
 *       --legs 60 --hold-seconds 60 --warmline-pid 1234 --sipp-pid 1240 --report out/client-report.txt \
 *       [--feed-burst 2] [--feed-rate 48000] [--meter-every 1] [--apm default|off] [--max-bitrate 0] \
 *       [--factories 1]
 * </pre>
 *
 * The client settings change only the client's own side (how its tone is fed, how often received frames are judged,
 * its audio processing module, its senders' own bitrate cap); what Warmline answers is applied as served. The report
 * splits the client's CPU in the window by thread group, with context switches, to show where a peer's cost goes.
 *
 * Exit code 0 when every leg connected, was answered, stayed up and heard its tone back in the window.
 */
public final class WebRtcLoad {
    /** A leg "hears its tone" when at least this share of the window's 10 ms frames carried it. */
    static final double TONE_FRAMES_REQUIRED = 0.5;
    private static final int MAX_LEGS = 500;
    private static final int MAX_HOLD_SECONDS = 1800;

    private WebRtcLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String url = require(o, "url");
        String apiKey = System.getenv(o.getOrDefault("api-key-env", "WARMLINE_BENCH_API_KEY"));
        if (apiKey == null || apiKey.isEmpty()) {
            throw new IllegalArgumentException("no API key in $" + o.getOrDefault("api-key-env",
                    "WARMLINE_BENCH_API_KEY"));
        }
        int legs = bounded(o, "legs", 60, 1, MAX_LEGS);
        int hold = bounded(o, "hold-seconds", 60, 5, MAX_HOLD_SECONDS);
        int settle = bounded(o, "settle-seconds", 5, 0, 120);
        int parallel = bounded(o, "parallel", 4, 1, 64);
        String target = o.getOrDefault("target", "support");
        String prefix = o.getOrDefault("conversation-prefix", "bench-" + Long.toString(System.nanoTime(), 36));
        long warmlinePid = Long.parseLong(o.getOrDefault("warmline-pid", "-1"));
        long sippPid = Long.parseLong(o.getOrDefault("sipp-pid", "-1"));
        Path reportFile = o.containsKey("report") ? Path.of(o.get("report")) : null;
        Path samplesFile = o.containsKey("samples") ? Path.of(o.get("samples")) : null;
        Path legsFile = o.containsKey("legs-file") ? Path.of(o.get("legs-file")) : null;
        int burst = bounded(o, "feed-burst", 2, 1, 4);
        LoadPeer.Settings settings = new LoadPeer.Settings(bounded(o, "feed-rate", 48_000, 8_000, 48_000), burst,
                bounded(o, "odd-feed-burst", burst, 1, 4), bounded(o, "meter-every", 1, 1, 10),
                bounded(o, "max-bitrate", 0, 0, 510_000));
        String apm = o.getOrDefault("apm", "default");
        if (!apm.equals("default") && !apm.equals("off")) {
            throw new IllegalArgumentException("--apm must be default or off: " + apm);
        }

        String httpClient = o.getOrDefault("http-client", "blocking");
        VoiceApiClient api = new VoiceApiClient(url, apiKey, httpClient.equals("jdk") ? VoiceApiClient.Transport.JDK
                : VoiceApiClient.Transport.BLOCKING);
        VoiceApiClient oddApi = switch (httpClient) {
            case "blocking", "jdk" -> api;
            case "alternate" -> new VoiceApiClient(url, apiKey, VoiceApiClient.Transport.JDK);
            default -> throw new IllegalArgumentException("--http-client must be blocking, jdk or alternate: "
                    + httpClient);
        };
        boolean ok = run(api, oddApi, legs, hold, settle, parallel, target, prefix, warmlinePid,
                sippPid, reportFile, samplesFile, legsFile, settings, apm.equals("off"),
                bounded(o, "factories", 1, 1, 16));
        System.exit(ok ? 0 : 1);
    }

    private static boolean run(VoiceApiClient api, VoiceApiClient oddApi, int legs, int hold, int settle, int parallel, String target,
            String prefix, long warmlinePid, long sippPid, Path reportFile, Path samplesFile, Path legsFile,
            LoadPeer.Settings settings, boolean apmOff, int factoryCount) throws Exception {
        long self = ProcessHandle.current().pid();
        StringBuilder report = new StringBuilder();
        line(report, "client: %d legs, %d opened at once, hold %d s after %d s settling; target %s; start %s",
                legs, parallel, hold, settle, target, Instant.now());
        line(report, "client settings: tone fed at %d Hz, %d x 10 ms per peer every %d ms%s; every %sreceived frame"
                + " judged; sender bitrate cap %s; audio processing module %s; %d peer connection factor%s",
                settings.feedRate(), settings.feedBurst(), 10 * settings.feedBurst(),
                settings.oddFeedBurst() == settings.feedBurst() ? "" : String.format(Locale.ROOT,
                        " (odd-numbered peers %d x 10 ms every %d ms)", settings.oddFeedBurst(),
                        10 * settings.oddFeedBurst()), ordinal(settings.meterEvery()),
                settings.maxBitrate() == 0 ? "none" : settings.maxBitrate() + " bit/s",
                apmOff ? "off (echo canceller, gain control, noise suppression, high-pass)" : "libwebrtc's default",
                factoryCount, factoryCount == 1 ? "y" : "ies");
        line(report, "client HTTP: %s", oddApi == api ? api.transport()
                : "even-numbered legs " + api.transport() + ", odd-numbered legs " + oddApi.transport());
        line(report, "load average at start: %s", ProcCpu.loadAverage());

        PeerFactories factories = new PeerFactories(factoryCount, apmOff);
        List<LoadPeer> peers = new ArrayList<>();
        for (int i = 0; i < legs; i++) {
            // Tones 400..1500 Hz in 100 Hz steps: whole periods per 10 ms frame, all inside the telephone band.
            peers.add(new LoadPeer(factories.forPeer(i), i, prefix + "-" + i, 400 + 100 * (i % 12), settings));
        }
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-feeder");
            t.setDaemon(true);
            return t;
        });
        boolean ok;
        try {
            long c0 = ProcCpu.processTicks(self);
            long w0 = warmlinePid > 0 ? ProcCpu.processTicks(warmlinePid) : -1;
            long rampStart = System.nanoTime();
            ExecutorService openers = Executors.newFixedThreadPool(parallel);
            List<CompletableFuture<Void>> opened = new ArrayList<>();
            for (LoadPeer p : peers) {
                VoiceApiClient client = p.index % 2 == 1 ? oddApi : api;
                opened.add(CompletableFuture.runAsync(() -> open(p, client, target), openers));
            }
            CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(legs * 30L + 60, TimeUnit.SECONDS);
            openers.shutdown();
            double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
            long c1 = ProcCpu.processTicks(self);
            long w1 = warmlinePid > 0 ? ProcCpu.processTicks(warmlinePid) : -1;
            int up = (int) peers.stream().filter(p -> p.failure == null).count();
            line(report, "ramp: %d of %d legs connected and answered in %.1f s (Warmline %.2f cores, client %.2f"
                    + " cores meanwhile)", up, legs, rampSeconds, cores(w1 - w0, rampSeconds),
                    cores(c1 - c0, rampSeconds));
            figures(report, "offer posted -> 201 answer (ms)", peers.stream().mapToDouble(p -> p.answerMillis));
            if (oddApi != api) {
                figures(report, "  even-numbered legs, HTTP client " + api.transport(), peers.stream()
                        .filter(p -> p.index % 2 == 0).mapToDouble(p -> p.answerMillis));
                figures(report, "  odd-numbered legs, HTTP client " + oddApi.transport(), peers.stream()
                        .filter(p -> p.index % 2 == 1).mapToDouble(p -> p.answerMillis));
                figures(report, "offer posted -> connected, even-numbered legs", peers.stream()
                        .filter(p -> p.index % 2 == 0).mapToDouble(p -> p.handshakeMillis));
                figures(report, "offer posted -> connected, odd-numbered legs", peers.stream()
                        .filter(p -> p.index % 2 == 1).mapToDouble(p -> p.handshakeMillis));
            }
            figures(report, "offer posted -> connected, ICE + DTLS done (ms)",
                    peers.stream().mapToDouble(p -> p.handshakeMillis));
            figures(report, "escalation posted -> CONNECTED (ms)", peers.stream().mapToDouble(p -> p.escalationMillis));
            if (legsFile != null) {
                StringBuilder legLines = new StringBuilder("leg conversation answer_ms handshake_ms escalation_ms failure\n");
                for (LoadPeer p : peers) {
                    legLines.append(String.format(Locale.ROOT, "%d %s %.1f %.1f %.1f %s%n", p.index, p.conversation,
                            p.answerMillis, p.handshakeMillis, p.escalationMillis,
                            p.failure == null ? "-" : p.failure.replace('\n', ' ')));
                }
                Files.writeString(legsFile, legLines, StandardCharsets.UTF_8);
            }

            // libwebrtc's send streams take audio from one thread only, and the headless module's capture thread
            // (started with the first send stream, and again with each later one) feeds every stream: stop it once
            // every leg is up, then one feeder thread pushes each peer's tone.
            factories.stopCapture();
            for (LoadPeer p : peers) {
                p.startSending();
            }
            // A peer's frames go back to back (libwebrtc takes 10 ms per call): with 2, each peer's encoder queue
            // wakes once per 20 ms packet instead of twice.
            long[] round = new long[1];
            feeder.scheduleAtFixedRate(() -> {
                for (LoadPeer p : peers) {
                    p.pushFrames(round[0]);
                }
                round[0]++;
            }, 0, 10L * settings.roundFrames(), TimeUnit.MILLISECONDS);

            TimeUnit.SECONDS.sleep(settle);
            Window window = Window.measure(api, peers, hold, warmlinePid, self, sippPid, samplesFile);
            ok = window.report(report, peers, settings.meterEvery());
        } finally {
            feeder.shutdownNow();
            feeder.awaitTermination(2, TimeUnit.SECONDS);
            ExecutorService closers = Executors.newFixedThreadPool(parallel);
            List<CompletableFuture<Void>> closed = new ArrayList<>();
            for (LoadPeer p : peers) {
                closed.add(CompletableFuture.runAsync(() -> p.hangUp(api), closers));
            }
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            closers.shutdown();
            for (LoadPeer p : peers) {
                p.close();
            }
            factories.close();
        }
        line(report, "load average at end: %s", ProcCpu.loadAverage());
        System.out.print(report);
        if (reportFile != null) {
            Files.writeString(reportFile, report, StandardCharsets.UTF_8);
        }
        return ok;
    }

    private static void open(LoadPeer p, VoiceApiClient api, String target) {
        try {
            p.open(api);
            p.escalate(api, target, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
        } catch (Exception e) {
            Throwable c = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                    ? e.getCause() : e;
            p.failure = c.getClass().getSimpleName() + ": " + c.getMessage();
        }
    }

    /** The steady window: CPU of the three processes and of the host, and every leg's counters at both ends. */
    private record Window(double seconds, long warmlineTicks, long warmlineUser, long warmlineSystem,
            long clientTicks, long sippTicks, long hostBusyTicks, int hostCores, List<LoadPeer.Snapshot> before,
            List<LoadPeer.Snapshot> after, double sweepBefore, double sweepAfter, List<Boolean> connectedAtEnd, long[] bridgesBefore,
            long[] bridgesAfter, Map<String, long[]> clientThreads, List<long[]> encoderThreads) {

        static Window measure(VoiceApiClient api, List<LoadPeer> peers, int hold, long warmlinePid, long self,
                long sippPid, Path samplesFile) throws Exception {
            // the peers' snapshots first, then Warmline's counters and the CPU right at the window's edges: a starved
            // client's snapshots took 50 s per sweep at 60 legs, and /metrics read before them counted that too
            long s0 = System.nanoTime();
            List<LoadPeer.Snapshot> before = snapshots(peers);
            double sweepBefore = (System.nanoTime() - s0) / 1e9;
            long[] bridgesBefore = api.bridgeCounters();
            long[] w0 = warmlinePid > 0 ? ProcCpu.userSystem(warmlinePid) : null;
            Map<Long, ProcCpu.ThreadTicks> threads0 = ProcCpu.threadTicks(self);
            long c0 = ProcCpu.processTicks(self);
            long p0 = sippPid > 0 ? ProcCpu.processTicks(sippPid) : -1;
            long h0 = ProcCpu.hostBusyTicks();
            long t0 = System.nanoTime();
            try (PrintStream samples = samplesFile == null ? null
                    : new PrintStream(Files.newOutputStream(samplesFile), true, StandardCharsets.UTF_8)) {
                if (samples != null) {
                    samples.println("seconds warmline_ticks client_ticks sipp_ticks host_busy_ticks load1");
                }
                for (int s = 1; s <= hold; s++) {
                    long due = t0 + TimeUnit.SECONDS.toNanos(s);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (samples != null) {
                        samples.printf(Locale.ROOT, "%.2f %d %d %d %d %s%n", (System.nanoTime() - t0) / 1e9,
                                warmlinePid > 0 ? ProcCpu.processTicks(warmlinePid) : -1,
                                ProcCpu.processTicks(self), sippPid > 0 ? ProcCpu.processTicks(sippPid) : -1,
                                ProcCpu.hostBusyTicks(), ProcCpu.loadAverage().split(" ")[0]);
                    }
                }
            }
            long[] w1 = warmlinePid > 0 ? ProcCpu.userSystem(warmlinePid) : null;
            long c1 = ProcCpu.processTicks(self);
            Map<Long, ProcCpu.ThreadTicks> threads1 = ProcCpu.threadTicks(self);
            long p1 = sippPid > 0 ? ProcCpu.processTicks(sippPid) : -1;
            long h1 = ProcCpu.hostBusyTicks();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] bridgesAfter = api.bridgeCounters();
            long s1 = System.nanoTime();
            List<LoadPeer.Snapshot> after = snapshots(peers);
            double sweepAfter = (System.nanoTime() - s1) / 1e9;
            List<Boolean> connected = peers.stream().map(LoadPeer::isConnected).toList();
            long wu = w0 != null && w1 != null ? w1[0] - w0[0] : -1;
            long ws = w0 != null && w1 != null ? w1[1] - w0[1] : -1;
            return new Window(seconds, wu < 0 ? -1 : wu + ws, wu, ws, c1 - c0, p0 < 0 || p1 < 0 ? -1 : p1 - p0,
                    h1 - h0, Runtime.getRuntime().availableProcessors(), before, after, sweepBefore, sweepAfter,
                    connected, bridgesBefore, bridgesAfter, ProcCpu.threadGroups(threads0, threads1),
                    ProcCpu.threadsOf("AudioEncoder", threads0, threads1));
        }

        /** Every live peer's snapshot, asked of all at once (one at a time, a starved client took minutes). */
        private static List<LoadPeer.Snapshot> snapshots(List<LoadPeer> peers) throws Exception {
            List<CompletableFuture<LoadPeer.Snapshot>> asked = new ArrayList<>();
            for (LoadPeer p : peers) {
                asked.add(p.failure == null ? p.requestSnapshot() : null);
            }
            List<LoadPeer.Snapshot> out = new ArrayList<>();
            for (CompletableFuture<LoadPeer.Snapshot> f : asked) {
                out.add(f == null ? null : f.get());
            }
            return out;
        }

        boolean report(StringBuilder report, List<LoadPeer> peers, int meterEvery) {
            int n = peers.size();
            // each leg over its own interval, from its snapshot before the window to its snapshot after
            double expectedFrames = 0;
            double expectedJudged = 0;
            double expectedPackets = 0;
            double shortest = Double.MAX_VALUE;
            double longest = 0;
            int failed = 0;
            int silent = 0;
            int dropped = 0;
            long disconnects = 0;
            long sent = 0;
            long received = 0;
            long lost = 0;
            long lostThere = 0;
            long tone = 0;
            long audible = 0;
            long heard = 0;
            long judged = 0;
            long concealed = 0;
            long samples = 0;
            double minToneShare = Double.MAX_VALUE;
            double minReceivedShare = Double.MAX_VALUE;
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                LoadPeer p = peers.get(i);
                LoadPeer.Snapshot b = before.get(i);
                LoadPeer.Snapshot a = after.get(i);
                if (p.failure != null || b == null || a == null) {
                    failed++;
                    failures.add(p.conversation + ": " + p.failure);
                    continue;
                }
                double legSeconds = (a.nanos() - b.nanos()) / 1e9;
                shortest = Math.min(shortest, legSeconds);
                longest = Math.max(longest, legSeconds);
                double legJudged = legSeconds * 100 / meterEvery;
                expectedFrames += legSeconds * 100;
                expectedJudged += legJudged;
                expectedPackets += legSeconds * 50;
                long played = a.framesHeard() - b.framesHeard();
                long toneFrames = a.toneFrames() - b.toneFrames();
                long got = a.packetsReceived() - b.packetsReceived();
                sent += a.packetsSent() - b.packetsSent();
                received += got;
                lost += a.packetsLost() - b.packetsLost();
                lostThere += a.lostAtWarmline() - b.lostAtWarmline();
                tone += toneFrames;
                audible += a.audibleFrames() - b.audibleFrames();
                heard += played;
                concealed += a.concealedSamples() - b.concealedSamples();
                samples += a.totalSamplesReceived() - b.totalSamplesReceived();
                judged += a.framesJudged() - b.framesJudged();
                minToneShare = Math.min(minToneShare, toneFrames / legJudged);
                minReceivedShare = Math.min(minReceivedShare, got / (legSeconds * 50));
                disconnects += p.disconnects();
                if (!connectedAtEnd.get(i)) {
                    failed++;
                    dropped++;
                    failures.add(p.conversation + ": connection dropped");
                } else if (toneFrames < TONE_FRAMES_REQUIRED * legJudged) {
                    failed++;
                    silent++;
                    // few frames played is the client's own playout starving, not audio Warmline failed to send
                    failures.add(String.format(Locale.ROOT, "%s: heard its tone in %d of %.0f judged frames (%.1f %%"
                            + " of real time played)", p.conversation, toneFrames, legJudged,
                            100 * played / (legSeconds * 100)));
                }
            }
            int live = n - (int) peers.stream().filter(p -> p.failure != null).count();
            line(report, "window: %.1f s with %d legs up; the legs' snapshots took %.1f s before and %.1f s after it"
                    + " (each leg judged over its own interval, %.1f to %.1f s)", seconds, live, sweepBefore, sweepAfter,
                    live == 0 ? 0 : shortest, longest);
            if (bridgesBefore != null && bridgesAfter != null) {
                long due = bridgesAfter[3] - bridgesBefore[3];
                long lateFrames = bridgesAfter[4] - bridgesBefore[4];
                // the bar is about the steady window: Warmline's own counters (GET /metrics) at its start and end
                line(report, "Warmline bridges in the window (/metrics): ticks %d (skipped %d, late %d); output frames"
                        + " due %d, late %d = %.4f %% (bar: under 0.1 %%)", bridgesAfter[0] - bridgesBefore[0],
                        bridgesAfter[1] - bridgesBefore[1], bridgesAfter[2] - bridgesBefore[2], due, lateFrames,
                        due > 0 ? 100.0 * lateFrames / due : 0);
            } else {
                line(report, "Warmline bridges in the window: no counters (GET /metrics failed)");
            }
            double w = cores(warmlineTicks, seconds);
            double c = cores(clientTicks, seconds);
            double s = cores(sippTicks, seconds);
            double host = cores(hostBusyTicks, seconds);
            line(report, "Warmline CPU: %.3f cores (user %.3f, system %.3f) = %.2f %% of one core per WebRTC leg"
                    + " (each bridged to one SIP leg)", w, cores(warmlineUser, seconds), cores(warmlineSystem, seconds),
                    live == 0 ? 0 : 100 * w / live);
            line(report, "client CPU (libwebrtc peers, this JVM): %.3f cores = %.2f %% of one core per peer;"
                    + " Warmline / client = %.2f", c, live == 0 ? 0 : 100 * c / live, c > 0 ? w / c : 0);
            StringBuilder byThread = new StringBuilder();
            clientThreads.entrySet().stream().limit(8).forEach(e -> byThread.append(String.format(Locale.ROOT,
                    "%s%s x%d %.3f (%.0f/s)", byThread.length() == 0 ? "" : ", ", e.getKey(), e.getValue()[1],
                    cores(e.getValue()[0], seconds), e.getValue()[2] / seconds)));
            line(report, "client CPU by thread (cores (context switches), threads named alike summed): %s", byThread);
            if (encoderThreads.size() >= 2) {
                // with odd-numbered peers fed differently, the halves by wake rate are the two feeds (A/B in one run)
                int half = encoderThreads.size() / 2;
                List<long[]> fewer = encoderThreads.subList(0, half);
                List<long[]> more = encoderThreads.subList(half, encoderThreads.size());
                int gapAt = 1;
                for (int i = 1; i < encoderThreads.size(); i++) {
                    if (encoderThreads.get(i)[1] - encoderThreads.get(i - 1)[1]
                            > encoderThreads.get(gapAt)[1] - encoderThreads.get(gapAt - 1)[1]) {
                        gapAt = i;
                    }
                }
                line(report, "encoder queues (AudioEncoder, one per peer) by context switches: the %d with fewer"
                        + " %.0f/s each, %.3f %% of a core each; the %d with more %.0f/s, %.3f %% (range of all: %.0f"
                        + "-%.0f/s; widest gap between neighbours %.0f -> %.0f/s, after the %d fewest)", fewer.size(), mean(fewer, 1) / seconds,
                        100 * mean(fewer, 0) / ProcCpu.TICKS_PER_SECOND / seconds, more.size(),
                        mean(more, 1) / seconds, 100 * mean(more, 0) / ProcCpu.TICKS_PER_SECOND / seconds,
                        encoderThreads.get(0)[1] / seconds,
                        encoderThreads.get(encoderThreads.size() - 1)[1] / seconds,
                        encoderThreads.get(gapAt - 1)[1] / seconds, encoderThreads.get(gapAt)[1] / seconds, gapAt);
            }
            line(report, "SIPp CPU: %.3f cores; host busy %.3f of %d cores; other load (host busy minus the three"
                    + " processes) %.3f cores", s, host, hostCores, host - w - c - Math.max(0, s));
            line(report, "RTP in the window: client sent %d (%.1f %% of 50/s per leg), received %d (%.1f %%; least"
                    + " of one leg %.1f %%), lost %d; concealed %.2f %% of the samples played; Warmline reported"
                    + " (RTCP) %d of the client's packets lost (%.2f %%)", sent,
                    pct(sent, expectedPackets), received, pct(received, expectedPackets),
                    live == 0 ? 0 : 100 * minReceivedShare, lost, pct(concealed, samples), lostThere,
                    pct(lostThere, sent));
            line(report, "audio heard in the window: %d 10 ms frames played (%.1f %% of real time), %d judged, of"
                    + " them %d audible and %d carrying the leg's own tone back (%.1f %% of the frames due to be"
                    + " judged; least of one leg %.1f %%)", heard, pct(heard, expectedFrames), judged, audible,
                    tone, pct(tone, expectedJudged), live == 0 ? 0 : 100 * minToneShare);
            line(report, "failed legs: %d of %d (not set up %d, not connected at the end %d, not hearing their tone"
                    + " %d); connections that left 'connected' for a while: %d", failed, n, n - live, dropped, silent,
                    disconnects);
            for (String f : failures.subList(0, Math.min(20, failures.size()))) {
                line(report, "  %s", f);
            }
            return failed == 0;
        }
    }

    private static double mean(List<long[]> rows, int column) {
        return rows.stream().mapToLong(r -> r[column]).average().orElse(0);
    }

    private static String ordinal(int n) {
        return switch (n) {
            case 1 -> "";
            case 2 -> "2nd ";
            case 3 -> "3rd ";
            default -> n + "th ";
        };
    }

    private static double cores(long ticks, double seconds) {
        return ticks < 0 || seconds <= 0 ? -1 : ticks / ProcCpu.TICKS_PER_SECOND / seconds;
    }

    private static double pct(double part, double whole) {
        return whole <= 0 ? 0 : 100 * part / whole;
    }

    private static void figures(StringBuilder report, String what, java.util.stream.DoubleStream values) {
        Percentiles p = new Percentiles(values.filter(v -> v >= 0).toArray());
        line(report, "%s: n %d, mean %.1f, p50 %.1f, p95 %.1f, p99 %.1f, max %.1f", what, p.count(), p.mean(),
                p.at(50), p.at(95), p.at(99), p.at(100));
    }

    private static void line(StringBuilder report, String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    private static String require(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private static int bounded(Map<String, String> o, String name, int dflt, int min, int max) {
        int v = o.containsKey(name) ? Integer.parseInt(o.get(name)) : dflt;
        if (v < min || v > max) {
            throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max + ": " + v);
        }
        return v;
    }
}
