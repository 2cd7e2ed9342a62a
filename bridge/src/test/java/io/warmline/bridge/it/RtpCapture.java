package io.warmline.bridge.it;

import io.warmline.media.codec.G711;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * RTP as tshark decoded it from the wire: every packet with its capture time and header fields, RFC 4733
 * telephone-events grouped into presses, and G.711 audio levels per packet. Built by
 * {@link Tshark#stopAndReadRtp}; no Warmline code decodes anything here except G.711 samples for levels.
 */
final class RtpCapture {
    private static final String KEYS = "0123456789*#ABCD";

    /** One RTP packet. {@code event} is -1 unless tshark decoded it as an RFC 4733 telephone-event. */
    record Packet(double time, String srcIp, int srcPort, String dstIp, int dstPort, int payloadType, boolean marker,
            int sequence, long timestamp, long ssrc, int event, boolean end, int volume, int duration, byte[] payload) {
        boolean isEvent() {
            return event >= 0;
        }

        /** RMS level of a G.711 payload (PT 0 or 8) in dB relative to full scale; -120 for digital silence. */
        double levelDbfs() {
            if (payloadType != 0 && payloadType != 8) {
                throw new IllegalStateException("not G.711: PT " + payloadType);
            }
            double sum = 0;
            for (byte b : payload) {
                double s = payloadType == 0 ? G711.ulawToLinear(b) : G711.alawToLinear(b);
                sum += s * s;
            }
            double rms = Math.sqrt(sum / Math.max(1, payload.length));
            return rms < 1 ? -120 : 20 * Math.log10(rms / 32768.0);
        }
    }

    /**
     * One telephone-event as sent: the packets sharing one RTP timestamp (RFC 4733 section 2.5.1.1) in one stream.
     *
     * @param firstTime capture time of its first packet
     * @param endTime capture time of its first end packet (NaN when no end packet was seen)
     * @param finalDuration the duration field of the end packets (of the last packet when none ended it)
     * @param endPackets how many packets carried the E bit
     * @param markerOnFirst whether its first packet had the marker bit (RFC 4733 section 2.5.1.3)
     * @param durations the duration field of every packet, in capture order
     */
    record Event(char digit, long ssrc, long timestamp, double firstTime, double endTime, int finalDuration,
            int endPackets, boolean markerOnFirst, List<Integer> durations, List<Integer> volumes, List<Integer> sequences) {}

    private final List<Packet> packets;

    RtpCapture(List<Packet> packets) {
        this.packets = List.copyOf(packets);
    }

    List<Packet> packets() {
        return packets;
    }

    List<Packet> to(int dstPort) {
        return packets(p -> p.dstPort() == dstPort);
    }

    List<Packet> from(int srcPort) {
        return packets(p -> p.srcPort() == srcPort);
    }

    List<Packet> packets(Predicate<Packet> filter) {
        return packets.stream().filter(filter).toList();
    }

    /** The telephone-events among {@code selected}, in the order their first packets were captured. */
    static List<Event> events(List<Packet> selected) {
        Map<String, List<Packet>> byEvent = new LinkedHashMap<>();
        for (Packet p : selected) {
            if (p.isEvent()) {
                byEvent.computeIfAbsent(p.ssrc() + "/" + p.timestamp(), k -> new ArrayList<>()).add(p);
            }
        }
        List<Event> events = new ArrayList<>();
        for (List<Packet> group : byEvent.values()) {
            Packet first = group.get(0);
            List<Packet> ends = group.stream().filter(Packet::end).toList();
            int finalDuration = ends.isEmpty() ? group.get(group.size() - 1).duration() : ends.get(0).duration();
            events.add(new Event(digit(first.event()), first.ssrc(), first.timestamp(), first.time(),
                    ends.isEmpty() ? Double.NaN : ends.get(0).time(), finalDuration, ends.size(), first.marker(),
                    group.stream().map(Packet::duration).toList(), group.stream().map(Packet::volume).toList(),
                    group.stream().map(Packet::sequence).toList()));
        }
        return events;
    }

    /** The digits of {@code events} as a string, in order. */
    static String digits(List<Event> events) {
        StringBuilder s = new StringBuilder();
        events.forEach(e -> s.append(e.digit()));
        return s.toString();
    }

    static char digit(int event) {
        return event >= 0 && event < KEYS.length() ? KEYS.charAt(event) : '?';
    }

    /**
     * The capture times at which talkspurts end in a G.711 stream: the last packet at or above {@code loudDbfs}
     * before at least {@code quiet} seconds of packets below it (or the end of the stream).
     */
    static List<Double> talkspurtEnds(List<Packet> audio, double loudDbfs, double quiet) {
        List<Double> ends = new ArrayList<>();
        double lastLoud = Double.NaN;
        for (Packet p : audio) {
            if (p.isEvent()) {
                continue;
            }
            if (p.levelDbfs() >= loudDbfs) {
                if (!Double.isNaN(lastLoud) && p.time() - lastLoud >= quiet) {
                    ends.add(lastLoud);
                }
                lastLoud = p.time();
            }
        }
        if (!Double.isNaN(lastLoud)) {
            ends.add(lastLoud);
        }
        return ends;
    }

    static byte[] hex(String s) {
        return s.isEmpty() ? new byte[0] : HexFormat.of().parseHex(s.replace(":", ""));
    }
}
