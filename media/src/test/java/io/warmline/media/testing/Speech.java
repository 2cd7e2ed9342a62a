package io.warmline.media.testing;

import io.warmline.media.codec.G711;
import io.warmline.media.resample.Resampler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Real speech for codec tests and benchmarks: the PSTN recording SIPp ships ({@code g711a.pcap}, 7 s of A-law
 * telephone speech) and speech synthesised by espeak-ng (wideband, resampled by sox). Pure tones flatter a speech
 * codec; these do not.
 */
public final class Speech {

    /** Pcap record header and the link, IPv4 and UDP headers before the RTP packet. */
    private static final int PCAP_GLOBAL_HEADER = 24;
    private static final int PCAP_RECORD_HEADER = 16;
    private static final int ETHERNET_HEADER = 14;
    private static final int UDP_HEADER = 8;
    private static final int RTP_HEADER = 12;
    private static final int PT_PCMA = 8;

    private Speech() {}

    /** The shared test vectors folder, from the system property {@code warmline.shared}. */
    public static Path sharedVectors() {
        String shared = System.getProperty("warmline.shared");
        if (shared == null) {
            throw new IllegalStateException("system property warmline.shared is not set");
        }
        return Path.of(shared, "vectors");
    }

    /** The A-law speech of {@code sipp-pcap/g711a.pcap}, decoded to 8 kHz linear PCM. */
    public static short[] pstn() throws IOException {
        return pcmaCapture(sharedVectors().resolve("sipp-pcap").resolve("g711a.pcap"));
    }

    /** {@link #pstn()} converted to {@code rate} (8, 16 or 48 kHz) by the project's resampler: still telephone-band. */
    public static short[] pstn(int rate) throws IOException {
        return resample(pstn(), 8000, rate);
    }

    /** Decodes the PCMA RTP payloads of an Ethernet/IPv4/UDP capture (classic pcap, either byte order), in order. */
    public static short[] pcmaCapture(Path pcap) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(pcap));
        int magic = in.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic != 0xA1B2C3D4) {
            in.order(ByteOrder.BIG_ENDIAN);
            if (in.getInt(0) != 0xA1B2C3D4) {
                throw new IOException("not a classic pcap file: " + pcap);
            }
        }
        short[] out = new short[in.capacity()];
        int n = 0;
        int pos = PCAP_GLOBAL_HEADER;
        while (pos + PCAP_RECORD_HEADER <= in.capacity()) {
            int captured = in.getInt(pos + 8);
            int frame = pos + PCAP_RECORD_HEADER;
            pos = frame + captured;
            if (captured < 0 || pos > in.capacity()) {
                throw new IOException("truncated pcap record at " + frame);
            }
            int ip = frame + ETHERNET_HEADER;
            if ((in.get(ip) & 0xF0) != 0x40 || in.get(ip + 9) != 17) {
                continue;
            }
            int rtp = ip + (in.get(ip) & 0x0F) * 4 + UDP_HEADER;
            int payload = rtp + RTP_HEADER;
            if (payload >= pos || (in.get(rtp + 1) & 0x7F) != PT_PCMA) {
                continue;
            }
            G711.decodeAlaw(in.array(), payload, pos - payload, out, n);
            n += pos - payload;
        }
        return Arrays.copyOf(out, n);
    }

    /** {@code text} spoken by espeak-ng, converted by sox to {@code rate} 16-bit mono PCM (files go in {@code dir}). */
    public static short[] synthesized(Path dir, String name, String text, int rate)
            throws IOException, InterruptedException {
        Path wav = dir.resolve(name + ".wav");
        Path raw = dir.resolve(name + "-" + rate + ".raw");
        Tools.run(List.of("espeak-ng", "-w", wav.toString(), text));
        Tools.run(List.of("sox", "-V1", wav.toString(), "-r", String.valueOf(rate), "-c", "1", "-b", "16", "-e",
                "signed-integer", "-L", "-t", "raw", raw.toString()));
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[buf.remaining() / 2];
        buf.asShortBuffer().get(out);
        return out;
    }

    /** A few sentences of ordinary call-centre speech, about 8 s long. */
    public static final String SENTENCES = "Thank you for calling. Your conversation is being transferred to an agent."
            + " Please hold for a moment while we connect you. The agent already has a summary of your request,"
            + " so you will not need to repeat anything.";

    private static short[] resample(short[] in, int from, int to) {
        if (from == to) {
            return in.clone();
        }
        Resampler r = new Resampler(from, to);
        short[] out = new short[r.outputLength(in.length)];
        r.process(in, 0, in.length, out, 0);
        return out;
    }
}
