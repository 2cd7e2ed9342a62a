package io.warmline.media.play;

import io.warmline.media.codec.G711;
import io.warmline.media.play.WavFormatException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Strict, bounded parser of RIFF/WAVE files: mono, 8, 16 or 48 kHz, 16-bit PCM, A-law or µ-law (format tags 1, 6, 7,
 * or {@code WAVE_FORMAT_EXTENSIBLE} with one of those sub-formats). Chunks other than {@code fmt } and {@code data}
 * (LIST, fact, …) are skipped; bytes after the data chunk are ignored, so a recording cut after a flush still reads.
 * Anything else is refused with a {@link WavFormatException} naming the problem.
 */
public final class WavReader {

    /** Ten minutes of 48 kHz 16-bit mono. */
    public static final int DEFAULT_MAX_BYTES = 48000 * 2 * 600 + 4096;
    static final int MAX_CHUNKS = 64;
    private static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
    /** The tail shared by the KSDATAFORMAT_SUBTYPE GUIDs: {xxxxxxxx-0000-0010-8000-00aa00389b71}. */
    private static final byte[] GUID_TAIL = {
        0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    private WavReader() {
    }

    public static WavAudio read(Path file) throws IOException, WavFormatException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    public static WavAudio read(Path file, int maxBytes) throws IOException, WavFormatException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new WavFormatException(Problem.TOO_LARGE, file + " is " + size + " bytes, limit " + maxBytes);
        }
        return parse(Files.readAllBytes(file), maxBytes);
    }

    public static WavAudio parse(byte[] bytes) throws WavFormatException {
        return parse(bytes, DEFAULT_MAX_BYTES);
    }

    public static WavAudio parse(byte[] bytes, int maxBytes) throws WavFormatException {
        if (bytes.length > maxBytes) {
            throw new WavFormatException(Problem.TOO_LARGE, bytes.length + " bytes, limit " + maxBytes);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12) {
            throw new WavFormatException(Problem.TRUNCATED, "only " + bytes.length + " bytes, no RIFF header");
        }
        if (in.getInt(0) != fourcc("RIFF")) {
            throw new WavFormatException(Problem.NOT_RIFF, "file does not start with 'RIFF'");
        }
        long riffSize = Integer.toUnsignedLong(in.getInt(4));
        if (in.getInt(8) != fourcc("WAVE")) {
            throw new WavFormatException(Problem.NOT_WAVE, "RIFF form type is not 'WAVE'");
        }
        if (riffSize + 8 > bytes.length) {
            throw new WavFormatException(Problem.TRUNCATED,
                    "RIFF size says " + (riffSize + 8) + " bytes, file has " + bytes.length);
        }
        long end = riffSize + 8;
        int pos = 12;
        Format format = null;
        for (int chunks = 0; ; chunks++) {
            if (chunks == MAX_CHUNKS) {
                throw new WavFormatException(Problem.TOO_MANY_CHUNKS, "more than " + MAX_CHUNKS + " chunks");
            }
            if (pos + 8 > end) {
                throw new WavFormatException(format == null ? Problem.MISSING_FMT : Problem.MISSING_DATA,
                        format == null ? "no 'fmt ' chunk" : "no 'data' chunk");
            }
            int id = in.getInt(pos);
            long size = Integer.toUnsignedLong(in.getInt(pos + 4));
            int body = pos + 8;
            if (body + size > end) {
                throw new WavFormatException(Problem.TRUNCATED,
                        "chunk '" + name(id) + "' of " + size + " bytes at offset " + pos + " runs past the end");
            }
            if (id == fourcc("fmt ")) {
                if (format != null) {
                    throw new WavFormatException(Problem.MALFORMED_FMT, "two 'fmt ' chunks");
                }
                format = parseFormat(in, body, (int) size);
            } else if (id == fourcc("data")) {
                if (format == null) {
                    throw new WavFormatException(Problem.MISSING_FMT, "'data' chunk before the 'fmt ' chunk");
                }
                return decode(format, bytes, body, (int) size);
            }
            pos = (int) (body + size + (size & 1));
        }
    }

    private record Format(WavEncoding encoding, int sampleRate) {
    }

    private static Format parseFormat(ByteBuffer in, int at, int size) throws WavFormatException {
        if (size < 16) {
            throw new WavFormatException(Problem.MALFORMED_FMT, "'fmt ' chunk of " + size + " bytes (at least 16)");
        }
        int tag = Short.toUnsignedInt(in.getShort(at));
        int channels = Short.toUnsignedInt(in.getShort(at + 2));
        long rate = Integer.toUnsignedLong(in.getInt(at + 4));
        long byteRate = Integer.toUnsignedLong(in.getInt(at + 8));
        int blockAlign = Short.toUnsignedInt(in.getShort(at + 12));
        int bits = Short.toUnsignedInt(in.getShort(at + 14));
        if (tag == WAVE_FORMAT_EXTENSIBLE) {
            int extension = size >= 18 ? Short.toUnsignedInt(in.getShort(at + 16)) : 0;
            if (size < 40 || extension < 22) {
                throw new WavFormatException(Problem.MALFORMED_FMT, "WAVE_FORMAT_EXTENSIBLE without its 22-byte extension");
            }
            int validBits = Short.toUnsignedInt(in.getShort(at + 18));
            if (validBits != bits) {
                throw new WavFormatException(Problem.UNSUPPORTED_BITS,
                        validBits + " valid bits in " + bits + "-bit containers");
            }
            for (int i = 0; i < GUID_TAIL.length; i++) {
                if (in.get(at + 26 + i) != GUID_TAIL[i]) {
                    throw new WavFormatException(Problem.UNSUPPORTED_ENCODING, "unknown sub-format GUID");
                }
            }
            tag = Short.toUnsignedInt(in.getShort(at + 24));
        }
        WavEncoding encoding = WavEncoding.ofTag(tag);
        if (encoding == null) {
            throw new WavFormatException(Problem.UNSUPPORTED_ENCODING,
                    "format tag " + tag + " (supported: 1 PCM, 6 A-law, 7 µ-law)");
        }
        if (channels != 1) {
            throw new WavFormatException(Problem.UNSUPPORTED_CHANNELS, channels + " channels (mono only)");
        }
        if (bits != encoding.bitsPerSample()) {
            throw new WavFormatException(Problem.UNSUPPORTED_BITS,
                    encoding + " with " + bits + " bits per sample (expected " + encoding.bitsPerSample() + ")");
        }
        if (rate != 8000 && rate != 16000 && rate != 48000) {
            throw new WavFormatException(Problem.UNSUPPORTED_RATE, rate + " Hz (supported: 8000, 16000, 48000)");
        }
        if (blockAlign != encoding.bytesPerSample() || byteRate != rate * blockAlign) {
            throw new WavFormatException(Problem.INCONSISTENT_FMT,
                    "block align " + blockAlign + " / byte rate " + byteRate + " do not match " + encoding + " at "
                            + rate + " Hz");
        }
        return new Format(encoding, (int) rate);
    }

    private static WavAudio decode(Format format, byte[] bytes, int at, int size) throws WavFormatException {
        int width = format.encoding().bytesPerSample();
        if (size % width != 0) {
            throw new WavFormatException(Problem.TRUNCATED, "data chunk of " + size + " bytes holds a partial sample");
        }
        short[] samples = new short[size / width];
        switch (format.encoding()) {
            case PCM_16 -> ByteBuffer.wrap(bytes, at, size).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
            case ALAW -> G711.decodeAlaw(bytes, at, size, samples, 0);
            case ULAW -> G711.decodeUlaw(bytes, at, size, samples, 0);
            default -> throw new IllegalStateException(format.encoding().toString());
        }
        return new WavAudio(format.encoding(), format.sampleRate(), samples);
    }

    static int fourcc(String s) {
        return (s.charAt(0)) | (s.charAt(1) << 8) | (s.charAt(2) << 16) | (s.charAt(3) << 24);
    }

    private static String name(int id) {
        StringBuilder sb = new StringBuilder(4);
        for (int i = 0; i < 4; i++) {
            int c = (id >>> (8 * i)) & 0xFF;
            sb.append(c >= 0x20 && c < 0x7F ? (char) c : '?');
        }
        return sb.toString();
    }
}
