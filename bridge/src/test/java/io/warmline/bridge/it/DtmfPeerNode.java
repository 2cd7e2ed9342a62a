package io.warmline.bridge.it;

import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Warmline server for the DTMF peer tests: trunk {@code carrier} takes calls from 127.0.0.1 to {@code 1...} and
 * dials the SIPp support line; more outbound-only trunks (their own {@code dtmf-mode}) and targets are added by the
 * test. Each route {@code <number>*} goes to one target. Reads the structured DTMF lines Warmline logs.
 */
final class DtmfPeerNode implements AutoCloseable {
    private static final Pattern HEARD = Pattern.compile(
            "dtmf-heard conv=(\\S+) leg=(\\S+) digit=(\\S) mode=(\\S+)");
    private static final Pattern SENT = Pattern.compile("dtmf-sent conv=(\\S+) leg=(\\S+) digit=(\\S) mode=(\\S+)");
    private static final Pattern OUTCOME = Pattern.compile("ivr-navigation conv=(\\S+) outcome=(\\S+)");

    /** A digit Warmline logged as heard. */
    record Heard(String conv, String leg, char digit, String mode) {}

    /** A digit Warmline logged as sent. */
    record Sent(String conv, String leg, char digit, String mode) {}

    final Path dir;
    final int sipPort = Ports.sip(LOOPBACK);
    final int httpPort = Ports.sip(LOOPBACK);
    final int uasSipPort = Ports.sip(LOOPBACK);
    final int uasMediaPort = Ports.udpBlock(LOOPBACK, 4);
    final int uacSipPort = Ports.sip(LOOPBACK);
    /**
     * The node's WebRTC port (UDP, and TCP for ICE-TCP). Left out of the config it is the fixed default 7882, which
     * another node on the machine (another module's or another checkout's peer tests) may hold: the start then failed
     * with "Address already in use".
     */
    final int webrtcPort = Ports.sip(LOOPBACK);
    final int rtpLow;
    final int rtpHigh;
    private final Map<String, String> trunks = new LinkedHashMap<>();
    private final List<String> targets = new ArrayList<>();
    private final List<String> routes = new ArrayList<>();
    private WarmlineProcess process;

    DtmfPeerNode(String name) {
        dir = PeerEnvironment.workDir(name);
        int low = Ports.udpBlock(LOOPBACK, 101);
        rtpLow = low % 2 == 0 ? low : low + 1;
        rtpHigh = rtpLow + 99;
        trunk("carrier", uasSipPort, "rfc4733",
                "inbound: { allow: [127.0.0.1/32], numbers: [\"1*\"] }");
    }

    /** An outbound trunk to {@code 127.0.0.1:port} with the given {@code dtmf-mode}, PCMA then PCMU. */
    DtmfPeerNode trunk(String name, int port, String dtmfMode, String... more) {
        StringBuilder t = new StringBuilder();
        t.append("    outbound: { address: \"127.0.0.1:").append(port).append("\", transport: udp }\n");
        t.append("    codecs: [PCMA, PCMU]\n    ring-timeout: 10s\n");
        t.append("    dtmf-mode: ").append(dtmfMode).append('\n');
        for (String line : more) {
            t.append("    ").append(line).append('\n');
        }
        trunks.put(name, t.toString());
        return this;
    }

    /** Target {@code name} dialling {@code number} on {@code trunk}, running {@code dtmf}; calls to {@code route*}. */
    DtmfPeerNode target(String name, String trunk, String number, String dtmf, String route) {
        targets.add("  " + name + ": { trunk: " + trunk + ", number: \"" + number + "\", dtmf: \"" + dtmf + "\" }");
        routes.add("  - { number: \"" + route + "*\", target: " + name + " }");
        return this;
    }

    DtmfPeerNode start() throws IOException, InterruptedException {
        StringBuilder yaml = new StringBuilder();
        yaml.append("node: { advertised-address: 127.0.0.1, drain-time: 1s }\n");
        yaml.append("sip:\n  listen:\n    - { transport: udp, address: \"127.0.0.1:").append(sipPort).append("\" }\n");
        yaml.append("http: { listen: \"127.0.0.1:").append(httpPort).append("\" }\n");
        yaml.append("webrtc: { port: ").append(webrtcPort).append(", addresses: [ 127.0.0.1 ] }\n");
        yaml.append("media: { rtp-ports: ").append(rtpLow).append('-').append(rtpHigh)
                .append(", no-media-timeout: 30s, latch-window: 2s, warm-up-seconds: 0 }\n");
        yaml.append("trunks:\n");
        trunks.forEach((name, body) -> yaml.append("  ").append(name).append(":\n").append(body));
        yaml.append("targets:\n");
        targets.forEach(t -> yaml.append(t).append('\n'));
        yaml.append("routes:\n");
        routes.forEach(r -> yaml.append(r).append('\n'));
        Path config = dir.resolve("warmline.yaml");
        Files.writeString(config, yaml.toString(), StandardCharsets.UTF_8);
        process = WarmlineProcess.start(config, LOOPBACK + ":" + httpPort, Map.of(), dir);
        return this;
    }

    String sipAddress() {
        return LOOPBACK + ":" + sipPort;
    }

    Path testDir(String test) {
        try {
            return Files.createDirectories(dir.resolve(test));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The support line (SIPp) where trunk {@code carrier} sends its INVITEs. */
    Sipp uas(String test, String scenario) {
        return Sipp.uas("uas", scenario, testDir(test)).local(LOOPBACK, uasSipPort, uasMediaPort);
    }

    /** A carrier call from 127.0.0.1 dialling {@code number} with {@code scenario}, its SIPp on its own ports. */
    Sipp uac(String test, String name, String scenario, String number) {
        return Sipp.uac(name, scenario, sipAddress(), number, testDir(test))
                .local(LOOPBACK, Ports.sip(LOOPBACK), Ports.udpBlock(LOOPBACK, 4));
    }

    OutputWatcher output() {
        return process.output();
    }

    List<Heard> heard() {
        List<Heard> all = new ArrayList<>();
        for (String line : process.output().lines()) {
            Matcher m = HEARD.matcher(line);
            if (m.find()) {
                all.add(new Heard(m.group(1), m.group(2), m.group(3).charAt(0), m.group(4)));
            }
        }
        return all;
    }

    List<Heard> heard(String conv) {
        return heard().stream().filter(h -> h.conv().equals(conv)).toList();
    }

    List<Sent> sent(String conv) {
        List<Sent> all = new ArrayList<>();
        for (String line : process.output().lines()) {
            Matcher m = SENT.matcher(line);
            if (m.find() && m.group(1).equals(conv)) {
                all.add(new Sent(m.group(1), m.group(2), m.group(3).charAt(0), m.group(4)));
            }
        }
        return all;
    }

    /** Waits (bounded) for the IVR navigation outcome of {@code conv}; null if none was logged in time. */
    String awaitOutcome(String conv, Duration within) throws InterruptedException {
        process.output().await(l -> {
            Matcher m = OUTCOME.matcher(l);
            return m.find() && m.group(1).equals(conv);
        }, within);
        for (String line : process.output().lines()) {
            Matcher m = OUTCOME.matcher(line);
            if (m.find() && m.group(1).equals(conv)) {
                return m.group(2);
            }
        }
        return null;
    }

    /** Waits (bounded) until {@code count} digits were heard in {@code conv}. */
    List<Heard> awaitHeard(String conv, int count, Duration within) throws InterruptedException {
        int[] seen = {0};
        process.output().await(l -> {
            Matcher m = HEARD.matcher(l);
            return m.find() && m.group(1).equals(conv) && ++seen[0] >= count;
        }, within);
        return heard(conv);
    }

    /** Waits (bounded) until Warmline has logged {@code total} heard digits since it started, in all calls. */
    List<Heard> awaitHeardTotal(int total, Duration within) throws InterruptedException {
        int[] seen = {0};
        process.output().await(l -> HEARD.matcher(l).find() && ++seen[0] >= total, within);
        return heard();
    }

    String log(int lines) {
        return process.output().tail(lines);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
