package io.warmline.bridge.it;

import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * baresip (Debian's 1.0.0) as an independent SIP user agent on loopback: headless, with its own config directory,
 * only the modules it needs (G.711, a WAV file as microphone, the sndfile dumper that records what it hears, the
 * account, menu and TCP control modules), SIP and RTP on 127.0.0.1 only. It answers every call by itself
 * ({@code answermode=auto}) and is driven through ctrl_tcp (JSON in netstrings: {@code dial}, {@code sndcode},
 * {@code hangup}).
 *
 * <p>What 1.0.0 does with DTMF (its source and trying it): it sends digits only as RFC 4733 telephone-events
 * ({@code sndcode}); it logs RFC 4733 events it receives as {@code received event: 'K' (end=0|1)} and SIP INFO
 * {@code application/dtmf-relay} as {@code call: received DTMF: 'K' (duration=N)}; it neither sends nor detects
 * in-band tones, so in-band digits it receives are found in its recording of the decoded audio (by multimon-ng).
 * The microphone file ending ends the call, so the file must outlast the call.
 */
final class Baresip implements AutoCloseable {
    private static final Pattern RTP_EVENT = Pattern.compile("received event: '(.)' \\(end=1\\)");
    private static final Pattern INFO_DIGIT = Pattern.compile("call: received DTMF: '(.)'");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A digit baresip logged, with how it came. */
    record Heard(char digit, String how) {}

    final int sipPort;
    final Path dir;
    private final Process process;
    private final OutputWatcher output;
    private final int ctrlPort;
    private Socket control;
    private int token;

    private Baresip(Path dir, int sipPort, int ctrlPort, Process process, OutputWatcher output) {
        this.dir = dir;
        this.sipPort = sipPort;
        this.ctrlPort = ctrlPort;
        this.process = process;
        this.output = output;
    }

    /**
     * Starts baresip as user {@code user} on free loopback ports, its microphone playing {@code microphone} (8 kHz
     * mono WAV), and waits (bounded) until it is ready and its control port accepts.
     */
    static Baresip start(Path dir, String user, Path microphone) throws IOException, InterruptedException {
        return start(dir, user, microphone, Ports.sip(LOOPBACK));
    }

    /** As {@link #start(Path, String, Path)}, SIP on {@code sipPort}. */
    static Baresip start(Path dir, String user, Path microphone, int sipPort) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int rtpPort = Ports.udpBlock(LOOPBACK, 10);
        int ctrlPort = Ports.sip(LOOPBACK);
        Path records = Files.createDirectories(dir.resolve("heard"));
        Files.writeString(dir.resolve("config"), String.join("\n",
                "poll_method\t\tpoll",
                "sip_listen\t\t" + LOOPBACK + ":" + sipPort,
                "net_interface\t\t" + LOOPBACK,
                "audio_path\t\t" + dir,
                "audio_source\t\taufile," + microphone.toAbsolutePath(),
                "rtp_ports\t\t" + rtpPort + "-" + (rtpPort + 9),
                "rtp_timeout\t\t0",
                "module_path\t\t/usr/lib/baresip/modules",
                "module\t\t\tg711.so",
                "module\t\t\taufile.so",
                "module\t\t\tsndfile.so",
                // relative to baresip's working directory (dir): sndfile in baresip 1.0 cuts the whole file path at
                // 127 characters, and a deep build directory left "dump-<time>-" with neither enc nor dec
                "snd_path\t\t" + dir.relativize(records),
                "module_app\t\taccount.so",
                "module_app\t\tmenu.so",
                "module_app\t\tctrl_tcp.so",
                "ctrl_tcp_listen\t\t" + LOOPBACK + ":" + ctrlPort,
                ""), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("accounts"), "<sip:" + user + "@" + LOOPBACK + ":" + sipPort
                + ">;regint=0;answermode=auto;audio_codecs=PCMA,PCMU\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("contacts"), "\n", StandardCharsets.UTF_8);
        Process process;
        try {
            process = new ProcessBuilder("baresip", "-f", dir.toString()).directory(dir.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("baresip is required by this test (apt-get install baresip)", e);
        }
        process.getOutputStream().close();
        OutputWatcher output = new OutputWatcher("baresip-" + user, process.getInputStream(), dir.resolve("baresip.log"));
        Baresip baresip = new Baresip(dir, sipPort, ctrlPort, process, output);
        if (!output.await(l -> l.contains("baresip is ready."), Duration.ofSeconds(15))) {
            baresip.close();
            throw new IllegalStateException("baresip did not start: " + output.tail(40));
        }
        baresip.connect();
        return baresip;
    }

    private void connect() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(LOOPBACK, ctrlPort), 1000);
                s.setSoTimeout(5000);
                control = s;
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("baresip's control port " + ctrlPort + " does not accept: "
                            + output.tail(20), e);
                }
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    String uri(String user) {
        return "sip:" + user + "@" + LOOPBACK + ":" + sipPort;
    }

    /** Places a call. */
    void dial(String uri) throws IOException {
        command("dial", uri);
    }

    /** Sends one key as an RFC 4733 event: press, then release (menu's {@code sndcode}). */
    void sendDigit(char digit) throws IOException {
        command("sndcode", String.valueOf(digit));
    }

    void hangup() throws IOException {
        command("hangup", "");
    }

    /** Runs one ctrl_tcp command and returns its response; events that arrive meanwhile are skipped. */
    private JsonNode command(String command, String params) throws IOException {
        String id = "t" + (++token);
        byte[] body = JSON.writeValueAsBytes(Map.of("command", command, "params", params, "token", id));
        OutputStream out = control.getOutputStream();
        out.write((body.length + ":").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.write(',');
        out.flush();
        for (int i = 0; i < 100; i++) {
            JsonNode message = JSON.readTree(readNetstring(control.getInputStream()));
            if (message.path("response").asBoolean(false) && id.equals(message.path("token").asText())) {
                if (!message.path("ok").asBoolean(false)) {
                    throw new IllegalStateException("baresip refused " + command + " " + params + ": " + message);
                }
                return message;
            }
        }
        throw new IllegalStateException("no response from baresip to " + command);
    }

    private static byte[] readNetstring(InputStream in) throws IOException {
        int length = 0;
        for (int c = in.read(), n = 0; c != ':'; c = in.read(), n++) {
            if (c < '0' || c > '9' || n > 6) {
                throw new IOException("bad netstring length from baresip");
            }
            length = length * 10 + (c - '0');
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length || in.read() != ',') {
            throw new IOException("truncated netstring from baresip");
        }
        return body;
    }

    /** Waits (bounded) for a log line. */
    boolean awaitLog(String fragment, Duration within) throws InterruptedException {
        return output.await(l -> l.contains(fragment), within);
    }

    /** Waits until baresip has logged {@code count} received digits (RFC 4733 ends or INFO), or the time is up. */
    List<Heard> awaitDigits(int count, Duration within) throws InterruptedException {
        int[] seen = {0};
        output.await(l -> (RTP_EVENT.matcher(l).find() || INFO_DIGIT.matcher(l).find()) && ++seen[0] >= count, within);
        return heard(output.lines());
    }

    List<Heard> heardDigits() {
        return heard(output.lines());
    }

    private static List<Heard> heard(List<String> lines) {
        List<Heard> digits = new ArrayList<>();
        for (String line : lines) {
            Matcher m = RTP_EVENT.matcher(line);
            if (m.find()) {
                digits.add(new Heard(m.group(1).charAt(0), "rfc4733"));
            }
            m = INFO_DIGIT.matcher(line);
            if (m.find()) {
                digits.add(new Heard(m.group(1).charAt(0), "info"));
            }
        }
        return digits;
    }

    /** The WAV files the sndfile module wrote of what baresip decoded from the far end ({@code ...-dec.wav}). */
    List<Path> decodedRecordings() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("heard"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-dec.wav")).sorted().toList();
        }
    }

    String log() {
        return output.text();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            if (control != null) {
                control.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        output.join(Duration.ofSeconds(2));
    }

    /** Digits an independent decoder (multimon-ng's DTMF demodulator) finds in a recording, in order. */
    static String inbandDigits(Path wav) throws IOException, InterruptedException {
        Path raw = wav.resolveSibling(wav.getFileName() + ".22k.raw");
        ExternalTool.run(List.of("sox", wav.toString(), "-t", "raw", "-e", "signed-integer", "-b", "16", "-c", "1",
                "-r", "22050", raw.toString()));
        String out = ExternalTool.run(List.of("multimon-ng", "-q", "-c", "-a", "DTMF", "-t", "raw", raw.toString()));
        StringBuilder digits = new StringBuilder();
        for (String line : out.split("\n")) {
            if (line.startsWith("DTMF: ") && line.length() > 6) {
                digits.append(line.charAt(6));
            }
        }
        return digits.toString();
    }
}
