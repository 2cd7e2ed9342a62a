package io.warmline.bridge.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A tshark capture on the loopback interface, limited by a capture filter to the test's UDP ports, decoded
 * afterwards as RTP on the given ports to count packets per direction and payload type. The capture stops by itself
 * after {@code maxDuration}.
 */
final class Tshark implements AutoCloseable {
    private final Process process;
    private final OutputWatcher stderr;
    private final Path file;

    private Tshark(Process process, OutputWatcher stderr, Path file) {
        this.process = process;
        this.stderr = stderr;
        this.file = file;
    }

    /** Starts capturing UDP on {@code ports} and returns once tshark reports that it captures. */
    static Tshark start(Path dir, String name, Duration maxDuration, int... ports) throws IOException, InterruptedException {
        StringBuilder filter = new StringBuilder("udp and (");
        for (int i = 0; i < ports.length; i++) {
            filter.append(i == 0 ? "" : " or ").append("port ").append(ports[i]);
        }
        filter.append(')');
        Path file = dir.resolve(name + ".pcapng");
        Process process = new ProcessBuilder("tshark", "-i", "lo", "-f", filter.toString(), "-w", file.toString(),
                "-a", "duration:" + maxDuration.toSeconds(), "-q")
                .directory(dir.toFile())
                .redirectOutput(dir.resolve(name + "-tshark-stdout.log").toFile())
                .start();
        OutputWatcher stderr = new OutputWatcher("tshark-stderr", process.getErrorStream(), dir.resolve(name + "-tshark.log"));
        Tshark tshark = new Tshark(process, stderr, file);
        if (!stderr.await(line -> line.contains("Capturing on"), Duration.ofSeconds(20))) {
            tshark.close();
            throw new IllegalStateException("tshark did not start capturing: " + stderr.tail(20));
        }
        return tshark;
    }

    /** Stops the capture (SIGTERM lets tshark finish the file) and counts the RTP packets per flow. */
    Map<Flow, Integer> stopAndCountRtp(int... rtpPorts) throws IOException, InterruptedException {
        close();
        List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString()));
        for (int port : rtpPorts) {
            command.add("-d");
            command.add("udp.port==" + port + ",rtp");
        }
        command.addAll(List.of("-Y", "rtp", "-T", "fields", "-E", "separator=,",
                "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "udp.dstport", "-e", "rtp.p_type"));
        Process reader = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(reader.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!reader.waitFor(30, TimeUnit.SECONDS)) {
            reader.destroyForcibly();
            throw new IllegalStateException("tshark -r did not finish");
        }
        Map<Flow, Integer> counts = new TreeMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(",");
            if (f.length == 5 && !f[4].isEmpty()) {
                Flow flow = new Flow(f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]));
                counts.merge(flow, 1, Integer::sum);
            }
        }
        Files.writeString(file.resolveSibling(file.getFileName() + ".flows.txt"), counts.toString(), StandardCharsets.UTF_8);
        return counts;
    }

    /**
     * Stops the capture and decodes every RTP packet (on {@code rtpPorts}) and SIP message over UDP (on
     * {@code sipPorts}) with its capture time, in capture order.
     */
    List<Packet> stopAndReadPackets(int[] rtpPorts, int[] sipPorts) throws IOException, InterruptedException {
        close();
        List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString()));
        for (int port : rtpPorts) {
            command.addAll(List.of("-d", "udp.port==" + port + ",rtp"));
        }
        for (int port : sipPorts) {
            command.addAll(List.of("-d", "udp.port==" + port + ",sip"));
        }
        command.addAll(List.of("-Y", "rtp or sip", "-T", "fields", "-E", "separator=,", "-E", "occurrence=f",
                "-e", "frame.time_epoch", "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "udp.dstport",
                "-e", "rtp.p_type", "-e", "sip.Status-Code", "-e", "sip.Method", "-e", "sip.CSeq.method", "-e", "sip.CSeq.seq"));
        Process reader = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(reader.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!reader.waitFor(30, TimeUnit.SECONDS)) {
            reader.destroyForcibly();
            throw new IllegalStateException("tshark -r did not finish");
        }
        Files.writeString(file.resolveSibling(file.getFileName() + ".packets.csv"), out, StandardCharsets.US_ASCII);
        List<Packet> packets = new ArrayList<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(",", -1);
            if (f.length < 10 || f[2].isEmpty() || f[4].isEmpty()) {
                continue;
            }
            packets.add(new Packet(Double.parseDouble(f[0]), f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]),
                    f[5].isEmpty() ? -1 : Integer.parseInt(f[5]), f[6].isEmpty() ? -1 : Integer.parseInt(f[6]),
                    f[7], f[8], f[9].isEmpty() ? -1 : Long.parseLong(f[9])));
        }
        return packets;
    }

    /**
     * Stops the capture and decodes every RTP packet on {@code rtpPorts}, payload type {@code telephoneEventPt} as
     * RFC 4733 telephone-events, with capture times and header fields (see {@link RtpCapture}).
     */
    RtpCapture stopAndReadRtp(int telephoneEventPt, int... rtpPorts) throws IOException, InterruptedException {
        close();
        List<String> command = new ArrayList<>(List.of("tshark", "-r", file.toString(),
                "-o", "rtpevent.event_payload_type_value:" + telephoneEventPt));
        for (int port : rtpPorts) {
            command.addAll(List.of("-d", "udp.port==" + port + ",rtp"));
        }
        command.addAll(List.of("-Y", "rtp", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f",
                "-e", "frame.time_epoch", "-e", "ip.src", "-e", "udp.srcport", "-e", "ip.dst", "-e", "udp.dstport",
                "-e", "rtp.p_type", "-e", "rtp.marker", "-e", "rtp.seq", "-e", "rtp.timestamp", "-e", "rtp.ssrc",
                "-e", "rtpevent.event_id", "-e", "rtpevent.end_of_event", "-e", "rtpevent.volume",
                "-e", "rtpevent.duration", "-e", "rtp.payload"));
        Path out = file.resolveSibling(file.getFileName() + ".rtp.tsv");
        Process reader = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(out.toFile()).start();
        if (!reader.waitFor(60, TimeUnit.SECONDS)) {
            reader.destroyForcibly();
            throw new IllegalStateException("tshark -r did not finish");
        }
        List<RtpCapture.Packet> packets = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.US_ASCII)) {
            String[] f = line.split("\t", -1);
            if (f.length < 15 || f[5].isEmpty()) {
                continue;
            }
            boolean event = !f[10].isEmpty();
            packets.add(new RtpCapture.Packet(Double.parseDouble(f[0]), f[1], Integer.parseInt(f[2]), f[3],
                    Integer.parseInt(f[4]), Integer.parseInt(f[5]), flag(f[6]), Integer.parseInt(f[7]),
                    Long.parseLong(f[8]), Long.decode(f[9]), event ? Integer.parseInt(f[10]) : -1,
                    event && flag(f[11]), event ? Integer.parseInt(f[12]) : -1,
                    event ? Integer.parseInt(f[13]) : -1, event ? new byte[0] : RtpCapture.hex(f[14])));
        }
        return new RtpCapture(packets);
    }

    private static boolean flag(String field) {
        return field.equals("1") || field.equalsIgnoreCase("true") || field.equalsIgnoreCase("True");
    }

    /**
     * One captured packet: RTP ({@code payloadType >= 0}) or SIP (a request {@code method}, or a response with
     * {@code status}) with its CSeq. Times are seconds since the epoch, from the capture.
     */
    record Packet(double time, String srcIp, int srcPort, String dstIp, int dstPort, int payloadType, int status,
            String method, String cseqMethod, long cseq) {
        boolean isRtp() {
            return payloadType >= 0;
        }

        boolean isResponse(int code, String forMethod) {
            return status == code && forMethod.equals(cseqMethod);
        }

        boolean isResponse(int code, long forCseq, String forMethod) {
            return isResponse(code, forMethod) && cseq == forCseq;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** One direction of one RTP stream with one payload type. */
    record Flow(String srcIp, int srcPort, String dstIp, int dstPort, int payloadType) implements Comparable<Flow> {
        @Override
        public int compareTo(Flow o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return srcIp + ":" + srcPort + "->" + dstIp + ":" + dstPort + " PT " + payloadType;
        }
    }

    /** Sum of packets from {@code srcPort} to {@code dstPort} (either may be -1 for any) with payload type {@code pt}. */
    static int count(Map<Flow, Integer> flows, int srcPort, int dstPort, int pt) {
        return flows.entrySet().stream()
                .filter(e -> srcPort < 0 || e.getKey().srcPort() == srcPort)
                .filter(e -> dstPort < 0 || e.getKey().dstPort() == dstPort)
                .filter(e -> pt < 0 || e.getKey().payloadType() == pt)
                .mapToInt(Map.Entry::getValue).sum();
    }
}
