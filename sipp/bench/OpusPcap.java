import io.warmline.bridge.call.CallMedia;
import io.warmline.media.codec.G711;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes the Opus RTP pcap the load script's support line plays (SIPp play_pcap_audio): headerless 8 kHz A-law in,
 * looped to the length asked for, encoded in 20 ms frames by Warmline's own encoder with the settings its terminated
 * SIP legs use (CallMedia.opus()), written as RTP (48 kHz clock, RFC 7587 section 4.1) in a classic pcap (Ethernet,
 * IPv4, UDP; SIPp rewrites addresses and ports), one record per 20 ms.
 *
 *   java -cp bridge/target/warmline.jar sipp/bench/OpusPcap.java IN.alaw OUT.pcap SECONDS PAYLOAD_TYPE
 */
public final class OpusPcap {

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: OpusPcap IN.alaw OUT.pcap SECONDS PAYLOAD_TYPE");
            System.exit(2);
        }
        byte[] alaw = Files.readAllBytes(Path.of(args[0]));
        int seconds = Integer.parseInt(args[2]);
        int payloadType = Integer.parseInt(args[3]);
        if (alaw.length < 160 || seconds < 1 || seconds > 3600 || payloadType < 96 || payloadType > 127) {
            throw new IllegalArgumentException("need at least 20 ms of audio, 1..3600 s and a dynamic payload type");
        }
        OpusConfig config = CallMedia.opus();
        OpusVoiceEncoder encoder = new OpusVoiceEncoder(config);
        int frame = config.frameSamples();
        int rate = config.sampleRate();
        if (rate != 8000) {
            throw new IllegalStateException("this tool feeds 8 kHz audio; the call's Opus input rate is " + rate);
        }
        short[] pcm = new short[frame];
        byte[] payload = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.write(header.array());
        int frames = seconds * 1000 / config.frameMillis();
        long source = 0;
        int sequence = 1;
        long timestamp = 48_000;
        boolean marker = true;
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < frame; i++) {
                pcm[i] = G711.alawToLinear(alaw[(int) (source++ % alaw.length)]);
            }
            int n = encoder.encode(pcm, 0, payload, 0, payload.length);
            if (n > 0) {
                writeRecord(out, f * config.frameMillis() * 1000L, rtp(payloadType, marker, sequence++, timestamp,
                        payload, n));
                marker = false;
            } else {
                marker = true;
            }
            timestamp += config.rtpTimestampIncrement();
        }
        Files.write(Path.of(args[1]), out.toByteArray());
        System.err.printf("%d frames of %s written to %s%n", frames, config, args[1]);
    }

    private static byte[] rtp(int pt, boolean marker, int sequence, long timestamp, byte[] payload, int length) {
        ByteBuffer b = ByteBuffer.allocate(12 + length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) sequence)
                .putInt((int) timestamp).putInt(0x0b5e0b5e).put(payload, 0, length);
        return b.array();
    }

    /** Ethernet II, IPv4 192.0.2.1 -> 192.0.2.2 (TEST-NET-1), UDP 5000 -> 6000 without checksum (RFC 768). */
    private static void writeRecord(ByteArrayOutputStream out, long micros, byte[] rtp) throws IOException {
        int ipLength = 20 + 8 + rtp.length;
        ByteBuffer f = ByteBuffer.allocate(14 + ipLength);
        f.put(new byte[] {2, 0, 0, 0, 0, 2}).put(new byte[] {2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
        f.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0)
                .put(new byte[] {(byte) 192, 0, 2, 1}).put(new byte[] {(byte) 192, 0, 2, 2});
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += ((f.get(i) & 0xFF) << 8) | (f.get(i + 1) & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        f.putShort(24, (short) ~sum);
        f.putShort((short) 5000).putShort((short) 6000).putShort((short) (8 + rtp.length)).putShort((short) 0);
        f.put(rtp);
        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        rec.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(f.capacity())
                .putInt(f.capacity());
        out.write(rec.array());
        out.write(f.array());
    }
}
