package io.warmline.dtmf.internal;

import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.tone.GoertzelDetector;
import io.warmline.media.codec.G711;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Test audio: white noise, espeak-ng speech through sox, A-law captures, and a detector run over 20 ms frames. */
public final class Audio {

    private Audio() {
    }

    /** Adds Gaussian white noise at {@code dbm0} (mean power) to {@code x} in place, with clipping. */
    public static void addNoise(short[] x, double dbm0, long seed) {
        Random random = new Random(seed);
        double rms = Math.sqrt(zeroDbm0Power()) * Math.pow(10, dbm0 / 20);
        for (int i = 0; i < x.length; i++) {
            double v = x[i] + random.nextGaussian() * rms;
            x[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
        }
    }

    public static double zeroDbm0Power() {
        double peak = io.warmline.dtmf.tone.DtmfToneGenerator.ZERO_DBM0_PEAK;
        return peak * peak / 2;
    }

    /** Runs {@code pcm} through a fresh detector in 20 ms frames, then 200 ms of silence, and returns the presses. */
    public static List<DigitPress> detect(short[] pcm) {
        GoertzelDetector detector = new GoertzelDetector();
        List<DigitPress> out = new ArrayList<>();
        int frame = 160;
        short[] padded = new short[pcm.length + 1600];
        System.arraycopy(pcm, 0, padded, 0, pcm.length);
        for (int at = 0; at + frame <= padded.length; at += frame) {
            detector.process(padded, at, frame, at * 125_000L);
            for (DigitPress p = detector.poll(); p != null; p = detector.poll()) {
                out.add(p);
            }
        }
        return out;
    }

    /** The A-law RTP payloads of a capture, decoded and concatenated. */
    public static short[] alawCapture(Path pcap) throws IOException {
        List<PcapReader.Datagram> datagrams = PcapReader.udpPayloads(pcap);
        short[] out = new short[datagrams.size() * 1500];
        int n = 0;
        for (PcapReader.Datagram d : datagrams) {
            byte[] p = d.payload();
            if (p.length <= 12 || (p[1] & 0x7F) != 8) {
                continue;
            }
            G711.decodeAlaw(p, 12, p.length - 12, out, n);
            n += p.length - 12;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * Speech made with espeak-ng and resampled to 8 kHz 16-bit by sox. Both are Debian packages CI installs; their
     * absence is a failure, not a skip.
     */
    public static short[] speak(Path dir, String name, String text, List<String> voiceArgs)
            throws IOException, InterruptedException {
        Path wav = dir.resolve(name + ".wav");
        Path raw = dir.resolve(name + ".raw");
        List<String> espeak = new ArrayList<>(List.of("espeak-ng", "-w", wav.toString()));
        espeak.addAll(voiceArgs);
        espeak.add(text);
        run(espeak, "espeak-ng");
        run(List.of("sox", "-V1", wav.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
                "-L", "-t", "raw", raw.toString()), "sox");
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[buf.remaining() / 2];
        buf.asShortBuffer().get(out);
        return out;
    }

    /**
     * A chord of {@code notes} (sox note names such as F5 or D#6) on {@code waveform} (a sox synth type), made by sox
     * at 8 kHz, {@code seconds} long.
     */
    public static short[] chord(Path dir, String name, String waveform, List<String> notes, double seconds)
            throws IOException, InterruptedException {
        Path raw = dir.resolve(name + ".raw");
        List<String> command = new ArrayList<>(List.of("sox", "-V1", "-n", "-r", "8000", "-b", "16", "-c", "1", "-e",
                "signed-integer", "-L", "-t", "raw", raw.toString(), "synth", String.valueOf(seconds)));
        for (String note : notes) {
            command.add(waveform);
            command.add(note);
        }
        command.addAll(List.of("vol", "0.4"));
        run(command, "sox");
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[buf.remaining() / 2];
        buf.asShortBuffer().get(out);
        return out;
    }

    private static void run(List<String> command, String tool) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(tool + " is required for the talk-off tests (apt-get install " + tool + ")", e);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(tool + " did not finish: " + command);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError(tool + " failed (" + process.exitValue() + "): " + command + "\n" + output);
        }
    }
}
