package io.warmline.media.play;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds RIFF/WAVE files byte by byte for the tests, including deliberately broken ones. */
final class WavBytes {

    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private Integer riffSizeOverride;
    private String riff = "RIFF";
    private String wave = "WAVE";

    static byte[] pcm16(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }

    static WavBytes mono(int tag, int rate, int bits, byte[] data) {
        int align = bits / 8;
        return new WavBytes().fmt(tag, 1, rate, rate * align, align, bits).chunk("data", data);
    }

    WavBytes fmt(int tag, int channels, int rate, int byteRate, int blockAlign, int bits) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) tag).putShort((short) channels).putInt(rate).putInt(byteRate)
                .putShort((short) blockAlign).putShort((short) bits);
        return chunk("fmt ", b.array());
    }

    /** WAVE_FORMAT_EXTENSIBLE with the KSDATAFORMAT sub-format for {@code subTag}. */
    WavBytes extensible(int subTag, int rate, int bits) {
        int align = bits / 8;
        ByteBuffer b = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0xFFFE).putShort((short) 1).putInt(rate).putInt(rate * align)
                .putShort((short) align).putShort((short) bits)
                .putShort((short) 22).putShort((short) bits).putInt(4)
                .putShort((short) subTag).put(new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00,
                    0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        return chunk("fmt ", b.array());
    }

    WavBytes chunk(String id, byte[] body) {
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        h.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(body.length);
        chunks.writeBytes(h.array());
        chunks.writeBytes(body);
        if ((body.length & 1) != 0) {
            chunks.write(0);
        }
        return this;
    }

    /** A chunk header whose size field says {@code declared} while only {@code body} follows. */
    WavBytes lyingChunk(String id, int declared, byte[] body) {
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        h.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(declared);
        chunks.writeBytes(h.array());
        chunks.writeBytes(body);
        return this;
    }

    WavBytes riffSize(int size) {
        riffSizeOverride = size;
        return this;
    }

    WavBytes magic(String riff, String wave) {
        this.riff = riff;
        this.wave = wave;
        return this;
    }

    byte[] build() {
        byte[] body = chunks.toByteArray();
        ByteBuffer b = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(riff.getBytes(StandardCharsets.US_ASCII))
                .putInt(riffSizeOverride != null ? riffSizeOverride : 4 + body.length)
                .put(wave.getBytes(StandardCharsets.US_ASCII)).put(body);
        return b.array();
    }
}
