package io.warmline.media.codec;

import io.warmline.media.testing.Tools;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the sox command-line tool as an independent G.711 implementation. CI installs it; absence is a failure. */
final class Sox {

    private Sox() {
    }

    /** Converts raw mono 8 kHz audio between encodings ("signed-integer"/16, "u-law"/8, "a-law"/8), no dither. */
    static void convert(Path in, String inEncoding, int inBits, Path out, String outEncoding, int outBits)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sox", "-V1", "-D",
                "-t", "raw", "-e", inEncoding, "-b", Integer.toString(inBits), "-c", "1", "-r", "8000", "-L",
                in.toString(),
                "-t", "raw", "-e", outEncoding, "-b", Integer.toString(outBits), "-c", "1", "-r", "8000", "-L",
                out.toString()));
        Tools.run(command);
    }

    static void writePcm(Path file, short[] samples) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            buf.putShort(s);
        }
        Files.write(file, buf.array());
    }

    static short[] readPcm(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[buf.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = buf.getShort();
        }
        return out;
    }
}
