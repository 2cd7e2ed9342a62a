package io.warmline.bridge.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the WAV files the browser plays as its fake microphone: 16-bit mono PCM tones. */
final class TestWav {
    private TestWav() {
    }

    /** {@code seconds} of a {@code hz} sine at {@code dbfs} (e.g. -12), 48 kHz mono 16-bit. */
    static Path tone(Path file, int hz, double seconds, double dbfs) throws IOException {
        int rate = 48_000;
        int samples = (int) (rate * seconds);
        double amplitude = 32767 * Math.pow(10, dbfs / 20);
        ByteBuffer b = ByteBuffer.allocate(44 + samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + samples * 2).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(samples * 2);
        for (int i = 0; i < samples; i++) {
            b.putShort((short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate)));
        }
        Files.write(file, b.array());
        return file;
    }
}
