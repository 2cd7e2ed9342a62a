package io.warmline.media.bench;

import io.warmline.media.testing.Speech;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/** Input signals of the benchmarks, made once per trial in the benchmark's setup. */
final class BenchSignals {

    private BenchSignals() {}

    /**
     * {@code pstn}: the A-law speech of SIPp's g711a.pcap (telephone band) at {@code rate}; {@code tts}: espeak-ng
     * speech (wideband) converted to {@code rate} by sox; {@code tone}: a 440 Hz tone plus white noise, the signal of
     * the orientation figures.
     */
    static short[] of(String signal, int rate) {
        try {
            return switch (signal) {
                case "pstn" -> Speech.pstn(rate);
                case "tts" -> synthesized(rate);
                case "tone" -> toneAndNoise(rate, 7.0);
                default -> throw new IllegalArgumentException("signal must be pstn, tts or tone: " + signal);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static short[] toneAndNoise(int rate, double seconds) {
        Random random = new Random(1);
        short[] out = new short[(int) (rate * seconds)];
        for (int i = 0; i < out.length; i++) {
            double v = 8000 * Math.sin(2 * Math.PI * 440 * i / rate) + 300 * random.nextGaussian();
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(v)));
        }
        return out;
    }

    private static short[] synthesized(int rate) throws IOException {
        Path dir = Files.createTempDirectory("warmline-bench");
        try {
            return Speech.synthesized(dir, "speech", Speech.SENTENCES, rate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
