package io.warmline.bridge.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Real synthesised speech for the peer tests: espeak-ng speaks, sox makes it 8 kHz mono 16-bit PCM. */
final class Speech {
    private Speech() {}

    /**
     * {@code text} spoken by espeak-ng voice {@code voice}, resampled by sox to 8 kHz, normalised to -3 dBFS peak and
     * trimmed of the silence espeak-ng puts before and after the speech (so the samples end where the speech does).
     * The intermediate files stay in {@code dir} under {@code name}.
     */
    static short[] speak(String text, String voice, Path dir, String name) throws IOException, InterruptedException {
        Path wav = dir.resolve(name + "-espeak.wav");
        Path raw = dir.resolve(name + "-8k.raw");
        ExternalTool.run(List.of("espeak-ng", "-v", voice, "-s", "165", "-w", wav.toString(), text));
        ExternalTool.run(List.of("sox", wav.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
                "-t", "raw", raw.toString(), "norm", "-3",
                "silence", "1", "0.01", "0.3%", "reverse", "silence", "1", "0.01", "0.3%", "reverse"));
        return readPcm(raw);
    }

    /** Little-endian signed 16-bit samples. */
    static short[] readPcm(Path raw) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        short[] pcm = new short[b.remaining() / 2];
        b.asShortBuffer().get(pcm);
        return pcm;
    }

    /** Writes 8 kHz mono 16-bit PCM as a WAV file with sox (for peers that play files). */
    static Path toWav(short[] pcm, Path out) throws IOException, InterruptedException {
        Path raw = out.resolveSibling(out.getFileName() + ".raw");
        ByteBuffer b = ByteBuffer.allocate(pcm.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(pcm);
        Files.write(raw, b.array());
        ExternalTool.run(List.of("sox", "-t", "raw", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
                raw.toString(), out.toString()));
        return out;
    }
}
