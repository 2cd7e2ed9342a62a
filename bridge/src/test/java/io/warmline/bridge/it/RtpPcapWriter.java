package io.warmline.bridge.it;

import io.warmline.media.codec.G711;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an RTP stream of G.711 audio as a classic pcap file (Ethernet, IPv4, UDP) that SIPp plays with
 * {@code play_pcap_audio}: one 20 ms packet of 160 samples per record, each record stamped with its send time, so
 * SIPp paces the packets as the file says. SIPp replaces addresses and ports; RTP headers go out as written.
 *
 * <p>Audio talkspurts, encoded silence and gaps without packets are appended in order; the writer remembers where
 * (in media time from the first packet) each talkspurt ends, for tests that reason about prompt ends.
 */
final class RtpPcapWriter {
    static final int SAMPLES_PER_PACKET = 160;
    static final int PACKET_MS = 20;
    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private static final int UDP = 8;
    private static final int RTP = 12;

    /** G.711 laws with their RFC 3551 static payload types. */
    enum Law {
        ULAW(0), ALAW(8);

        final int payloadType;

        Law(int payloadType) {
            this.payloadType = payloadType;
        }

        void encode(short[] pcm, int off, byte[] out) {
            if (this == ULAW) {
                G711.encodeUlaw(pcm, off, SAMPLES_PER_PACKET, out, 0);
            } else {
                G711.encodeAlaw(pcm, off, SAMPLES_PER_PACKET, out, 0);
            }
        }
    }

    private final Law law;
    private final long ssrc;
    private final List<byte[]> frames = new ArrayList<>();
    private final List<Long> sendMicros = new ArrayList<>();
    private final List<Duration> talkspurtEnds = new ArrayList<>();
    private int sequence = 4711;
    private long timestamp = 160_000;
    private long clockMicros;
    private boolean newTalkspurt = true;

    RtpPcapWriter(Law law, long ssrc) {
        this.law = law;
        this.ssrc = ssrc;
    }

    /** Appends {@code pcm} (8 kHz) as packets, the last one padded with silence; records where it ends. */
    RtpPcapWriter audio(short[] pcm) {
        int packets = (pcm.length + SAMPLES_PER_PACKET - 1) / SAMPLES_PER_PACKET;
        short[] padded = java.util.Arrays.copyOf(pcm, packets * SAMPLES_PER_PACKET);
        byte[] payload = new byte[SAMPLES_PER_PACKET];
        for (int p = 0; p < packets; p++) {
            law.encode(padded, p * SAMPLES_PER_PACKET, payload);
            packet(payload);
        }
        talkspurtEnds.add(Duration.ofNanos(clockMicros * 1000 - (packets * SAMPLES_PER_PACKET - pcm.length) * 125_000L));
        return this;
    }

    /** Appends packets of encoded digital silence (an IVR that keeps sending while it waits). */
    RtpPcapWriter silence(Duration length) {
        byte[] payload = new byte[SAMPLES_PER_PACKET];
        law.encode(new short[SAMPLES_PER_PACKET], 0, payload);
        for (long n = length.toMillis() / PACKET_MS; n > 0; n--) {
            packet(payload);
        }
        return this;
    }

    /** Sends nothing for {@code length}; media time still runs, and the next packet starts a talkspurt (marker). */
    RtpPcapWriter gap(Duration length) {
        long packets = length.toMillis() / PACKET_MS;
        clockMicros += packets * PACKET_MS * 1000L;
        timestamp += packets * SAMPLES_PER_PACKET;
        newTalkspurt = true;
        return this;
    }

    /** Where each {@link #audio} talkspurt's last real sample ends, from the first packet's send time. */
    List<Duration> talkspurtEnds() {
        return List.copyOf(talkspurtEnds);
    }

    /** The stream's length in media time. */
    Duration length() {
        return Duration.ofNanos(clockMicros * 1000);
    }

    int payloadType() {
        return law.payloadType;
    }

    private void packet(byte[] payload) {
        ByteBuffer rtp = ByteBuffer.allocate(RTP + payload.length).order(ByteOrder.BIG_ENDIAN);
        rtp.put((byte) 0x80);
        // RFC 3551 section 4.1: the marker bit flags the first packet of a talkspurt.
        rtp.put((byte) ((newTalkspurt ? 0x80 : 0) | law.payloadType));
        rtp.putShort((short) sequence++);
        rtp.putInt((int) timestamp);
        rtp.putInt((int) ssrc);
        rtp.put(payload);
        frames.add(frame(rtp.array()));
        sendMicros.add(clockMicros);
        newTalkspurt = false;
        timestamp += SAMPLES_PER_PACKET;
        clockMicros += PACKET_MS * 1000L;
    }

    /** Ethernet II, IPv4 (192.0.2.1 -> 192.0.2.2, TEST-NET-1; SIPp rewrites them) and UDP 5000 -> 6000. */
    private static byte[] frame(byte[] rtp) {
        int ipLength = IPV4 + UDP + rtp.length;
        ByteBuffer f = ByteBuffer.allocate(ETHERNET + ipLength).order(ByteOrder.BIG_ENDIAN);
        f.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        int ip = f.position();
        f.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {(byte) 192, 0, 2, 1}).put(new byte[] {(byte) 192, 0, 2, 2});
        f.putShort(ip + 10, ipv4Checksum(f.array(), ip));
        // UDP checksum 0: none (RFC 768).
        f.putShort((short) 5000).putShort((short) 6000).putShort((short) (UDP + rtp.length)).putShort((short) 0);
        f.put(rtp);
        return f.array();
    }

    private static short ipv4Checksum(byte[] b, int off) {
        int sum = 0;
        for (int i = 0; i < IPV4; i += 2) {
            sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }

    /** Writes the pcap (microsecond timestamps, link type Ethernet). */
    Path write(Path out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        bytes.write(header.array());
        long baseSeconds = 1_700_000_000L;
        for (int i = 0; i < frames.size(); i++) {
            byte[] frame = frames.get(i);
            long micros = sendMicros.get(i);
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt((int) (baseSeconds + micros / 1_000_000)).putInt((int) (micros % 1_000_000))
                    .putInt(frame.length).putInt(frame.length);
            bytes.write(record.array());
            bytes.write(frame);
        }
        Files.write(out, bytes.toByteArray());
        return out;
    }
}
