package io.warmline.bridge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One SIPp process running one scenario from {@code sipp/} for one call ({@code -m 1}, or {@link #calls}), bounded by SIPp's own
 * {@code -timeout} (which fails the run) and by a hard process timeout. Its trace files go to the work directory:
 * errors, screen, {@code <log>} actions, messages and statistics.
 *
 * <p>Exit codes (sipp -h): 0 all calls succeeded, 1 at least one failed, 97 internal command, 99 no call, 255 fatal.
 */
final class Sipp {
    private final String name;
    private final Path dir;
    private final List<String> args = new ArrayList<>();
    private String localIp = PeerEnvironment.LOOPBACK;
    private int localPort;
    private int mediaPort;
    private Duration timeout = Duration.ofSeconds(30);
    private int calls = 1;

    private Sipp(String name, String scenario, Path dir) {
        this.name = name;
        this.dir = dir;
        args.add("-sf");
        args.add(PeerEnvironment.sippDir().resolve(scenario).toString());
    }

    /** A UAC placing one call to {@code target} (host:port), dialling {@code number}. */
    static Sipp uac(String name, String scenario, String target, String number, Path dir) {
        Sipp sipp = new Sipp(name, scenario, dir);
        sipp.args.add(0, target);
        sipp.args.add("-s");
        sipp.args.add(number);
        sipp.key("pcap", PeerEnvironment.pcap().toString());
        return sipp;
    }

    /** A UAS answering one call; RTP arriving on its media port is echoed ({@code -rtp_echo}). */
    static Sipp uas(String name, String scenario, Path dir) {
        Sipp sipp = new Sipp(name, scenario, dir);
        sipp.args.add("-rtp_echo");
        return sipp;
    }

    /** No {@code -rtp_echo}: RTP arriving is received and dropped (an IVR that plays prompts and listens). */
    Sipp noEcho() {
        args.remove("-rtp_echo");
        return this;
    }

    Sipp local(String ip, int sipPort, int rtpPort) {
        this.localIp = ip;
        this.localPort = sipPort;
        this.mediaPort = rtpPort;
        return this;
    }

    /** {@code -key}: a keyword the scenario requires ({@code [name]}); a second call replaces the value. */
    Sipp key(String key, String value) {
        for (int i = 0; i + 2 < args.size(); i++) {
            if (args.get(i).equals("-key") && args.get(i + 1).equals(key)) {
                args.set(i + 2, value);
                return this;
            }
        }
        args.add("-key");
        args.add(key);
        args.add(value);
        return this;
    }

    /** {@code -set}: an optional global variable of the scenario ({@code conv}, {@code uui}, {@code offer}). */
    Sipp set(String variable, String value) {
        args.add("-set");
        args.add(variable);
        args.add(value);
        return this;
    }

    /** {@code -d}: the length of the scenario's {@code <pause/>} (talk time, ring time). */
    Sipp pause(Duration pause) {
        args.add("-d");
        args.add(Long.toString(pause.toMillis()));
        return this;
    }

    Sipp arg(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** {@code -m}: how many calls the run makes or answers before it ends (default 1). */
    Sipp calls(int calls) {
        this.calls = calls;
        return this;
    }

    Sipp timeout(Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    String localIp() {
        return localIp;
    }

    int mediaPort() {
        return mediaPort;
    }

    Running start() throws IOException {
        if (localPort == 0 || mediaPort == 0) {
            throw new IllegalStateException("call local(ip, sipPort, rtpPort) first");
        }
        List<String> command = new ArrayList<>(List.of("sipp"));
        command.addAll(args);
        command.addAll(List.of(
                "-i", localIp, "-p", Integer.toString(localPort), "-bind_local",
                "-mi", localIp, "-mp", Integer.toString(mediaPort),
                "-m", Integer.toString(calls), "-nostdin",
                "-timeout", timeout.toSeconds() + "s", "-timeout_error",
                "-trace_err", "-error_file", file("errors.log").toString(),
                "-trace_screen", "-screen_file", file("screen.log").toString(),
                "-trace_logs", "-log_file", file("logs.log").toString(),
                "-trace_msg", "-message_file", file("messages.log").toString(),
                "-trace_stat", "-stf", file("stat.csv").toString()));
        Files.writeString(file("command.txt"), String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(file("stdout.log").toFile())
                .start();
        return new Running(process);
    }

    /** Runs to the end (bounded) and returns the result. */
    Result run() throws IOException, InterruptedException {
        return start().await();
    }

    private Path file(String suffix) {
        return dir.resolve(name + "-" + suffix);
    }

    final class Running implements AutoCloseable {
        private final Process process;

        private Running(Process process) {
            this.process = process;
        }

        /** Waits (bounded) until SIPp listens on its SIP port: it has no readiness signal, so /proc/net/udp is read. */
        Running awaitListening() throws IOException, InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!UdpTable.isBound(localIp, localPort)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + " before listening: "
                            + read("stdout.log"));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " is not listening on " + localIp + ":" + localPort);
                }
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
            return this;
        }

        long pid() {
            return process.pid();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Waits until SIPp has traced a message whose first line starts with {@code startLine} (sent or received). */
        boolean awaitMessage(String startLine, Duration within) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (System.nanoTime() < deadline && process.isAlive()) {
                if (read("messages.log").lines().anyMatch(l -> l.startsWith(startLine))) {
                    return true;
                }
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
            return read("messages.log").lines().anyMatch(l -> l.startsWith(startLine));
        }

        Result await() throws IOException, InterruptedException {
            // SIPp's -timeout ends the run; the margin covers start-up and the final statistics.
            if (!process.waitFor(timeout.toMillis() + 15_000, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "killed after the hard timeout");
            }
            return new Result(process.exitValue(), "");
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private String read(String suffix) throws IOException {
        Path f = file(suffix);
        return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
    }

    /** The outcome of one SIPp run, with its traces for assertions and failure messages. */
    final class Result {
        final int exitCode;
        private final String note;

        private Result(int exitCode, String note) {
            this.exitCode = exitCode;
            this.note = note;
        }

        boolean succeeded() {
            return exitCode == 0;
        }

        /** The {@code <log>} lines the scenario wrote. */
        List<String> logLines() throws IOException {
            return read("logs.log").lines().toList();
        }

        String messages() throws IOException {
            return read("messages.log");
        }

        /** The SIP messages SIPp traced ({@code -trace_msg}), in order, with SIPp's timestamps. */
        List<TracedMessage> tracedMessages() throws IOException {
            return TracedMessage.parse(read("messages.log"));
        }

        /** The first traced message whose start line starts with {@code startLine}, sent or received as asked. */
        TracedMessage first(boolean sent, String startLine) throws IOException {
            return tracedMessages().stream().filter(m -> m.sent() == sent && m.startLine().startsWith(startLine))
                    .findFirst().orElseThrow(() -> new AssertionError(name + " traced no " + (sent ? "sent " : "received ")
                            + startLine + "\n" + describe()));
        }

        /** Everything needed to see why a run failed. */
        String describe() {
            try {
                return String.format(Locale.ROOT, "%s: exit %d %s%n--- errors%n%s%n--- screen%n%s%n--- messages%n%s",
                        name, exitCode, note, read("errors.log"), trimScreen(read("screen.log")),
                        tailOf(read("messages.log"), 6000));
            } catch (IOException e) {
                return name + ": exit " + exitCode + " (traces unreadable: " + e + ")";
            }
        }
    }

    private static String trimScreen(String screen) {
        int at = screen.indexOf("Messages  Retrans   Timeout   Unexpected-Msg");
        return at >= 0 ? screen.substring(at) : screen;
    }

    private static String tailOf(String text, int chars) {
        return text.length() <= chars ? text : "..." + text.substring(text.length() - chars);
    }
}
