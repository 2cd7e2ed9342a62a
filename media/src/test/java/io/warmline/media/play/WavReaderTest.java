package io.warmline.media.play;

import io.warmline.media.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.codec.G711;
import io.warmline.media.mix.Signals;
import io.warmline.media.play.WavFormatException.Problem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WavReaderTest {

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 48000})
    void readsPcm16(int rate) throws WavFormatException {
        short[] tone = Signals.tone(1000, 12000, rate, 0, rate / 10, 0.3);
        WavAudio audio = WavReader.parse(WavBytes.mono(1, rate, 16, WavBytes.pcm16(tone)).build());
        assertEquals(WavEncoding.PCM_16, audio.encoding());
        assertEquals(rate, audio.sampleRate());
        assertArrayEquals(tone, audio.samples());
        assertEquals(100, audio.durationMillis());
    }

    @Test
    void readsALawAndULaw() throws WavFormatException {
        short[] tone = Signals.tone(700, 9000, 8000, 0, 800, 0);
        byte[] alaw = new byte[tone.length];
        byte[] ulaw = new byte[tone.length];
        G711.encodeAlaw(tone, 0, tone.length, alaw, 0);
        G711.encodeUlaw(tone, 0, tone.length, ulaw, 0);
        WavAudio a = WavReader.parse(WavBytes.mono(6, 8000, 8, alaw).build());
        WavAudio u = WavReader.parse(WavBytes.mono(7, 8000, 8, ulaw).build());
        assertEquals(WavEncoding.ALAW, a.encoding());
        assertEquals(WavEncoding.ULAW, u.encoding());
        for (int i = 0; i < tone.length; i++) {
            assertEquals(G711.alawToLinear(alaw[i]), a.sample(i));
            assertEquals(G711.ulawToLinear(ulaw[i]), u.sample(i));
        }
    }

    @Test
    void readsExtensibleAndSkipsOtherChunks() throws WavFormatException {
        short[] tone = Signals.tone(440, 5000, 16000, 0, 321, 0);
        byte[] file = new WavBytes()
                .chunk("LIST", "INFOISFT\u0003\0\0\0ab\0".getBytes(StandardCharsets.ISO_8859_1)) // odd: padded
                .extensible(1, 16000, 16)
                .chunk("fact", new byte[] {1, 2, 3, 4})
                .chunk("data", WavBytes.pcm16(tone))
                .build();
        assertArrayEquals(tone, WavReader.parse(file).samples());
    }

    @Test
    void ignoresBytesAfterTheDataChunk() throws WavFormatException {
        short[] tone = Signals.tone(440, 5000, 8000, 0, 160, 0);
        byte[] file = WavBytes.mono(1, 8000, 16, WavBytes.pcm16(tone)).build();
        byte[] longer = java.util.Arrays.copyOf(file, file.length + 77);
        assertArrayEquals(tone, WavReader.parse(longer).samples());
    }

    private static Problem problemOf(byte[] file) {
        WavFormatException e = assertThrows(WavFormatException.class, () -> WavReader.parse(file, 4096));
        assertTrue(e.getMessage().startsWith(e.problem().name()), e.getMessage());
        return e.problem();
    }

    @Test
    void refusesWhatItCannotPlayNamingTheProblem() {
        byte[] data = new byte[320];
        assertEquals(Problem.TRUNCATED, problemOf(new byte[] {'R', 'I', 'F', 'F'}));
        assertEquals(Problem.NOT_RIFF, problemOf(WavBytes.mono(1, 8000, 16, data).magic("RIFX", "WAVE").build()));
        assertEquals(Problem.NOT_WAVE, problemOf(WavBytes.mono(1, 8000, 16, data).magic("RIFF", "AVI ").build()));
        assertEquals(Problem.TRUNCATED, problemOf(WavBytes.mono(1, 8000, 16, data).riffSize(10_000).build()));
        assertEquals(Problem.TRUNCATED, problemOf(new WavBytes().fmt(1, 1, 8000, 16000, 2, 16)
                .lyingChunk("data", 2000, data).build()));
        assertEquals(Problem.TRUNCATED, problemOf(WavBytes.mono(1, 8000, 16, new byte[3]).build()));
        assertEquals(Problem.TOO_LARGE, problemOf(WavBytes.mono(1, 8000, 16, new byte[5000]).build()));
        assertEquals(Problem.UNSUPPORTED_RATE, problemOf(WavBytes.mono(1, 44100, 16, data).build()));
        assertEquals(Problem.UNSUPPORTED_RATE, problemOf(WavBytes.mono(6, 11025, 8, data).build()));
        assertEquals(Problem.UNSUPPORTED_CHANNELS,
                problemOf(new WavBytes().fmt(1, 2, 8000, 32000, 4, 16).chunk("data", data).build()));
        assertEquals(Problem.UNSUPPORTED_BITS, problemOf(WavBytes.mono(1, 8000, 8, data).build()));
        assertEquals(Problem.UNSUPPORTED_BITS, problemOf(WavBytes.mono(7, 8000, 16, data).build()));
        assertEquals(Problem.UNSUPPORTED_ENCODING, problemOf(WavBytes.mono(3, 8000, 32, data).build()));
        assertEquals(Problem.UNSUPPORTED_ENCODING, problemOf(WavBytes.mono(0x11, 8000, 4, data).build()));
        assertEquals(Problem.INCONSISTENT_FMT,
                problemOf(new WavBytes().fmt(1, 1, 8000, 8000, 2, 16).chunk("data", data).build()));
        assertEquals(Problem.MALFORMED_FMT, problemOf(new WavBytes().chunk("fmt ", new byte[12]).build()));
        assertEquals(Problem.MISSING_FMT, problemOf(new WavBytes().chunk("data", data).build()));
        assertEquals(Problem.MISSING_FMT, problemOf(new WavBytes().chunk("LIST", data).build()));
        assertEquals(Problem.MISSING_DATA, problemOf(new WavBytes().fmt(1, 1, 8000, 16000, 2, 16).build()));
        WavBytes many = new WavBytes();
        for (int i = 0; i < 70; i++) {
            many.chunk("junk", new byte[2]);
        }
        assertEquals(Problem.TOO_MANY_CHUNKS, problemOf(many.build()));
    }

    @Test
    void damagedFilesOnlyEverRaiseWavFormatException() {
        byte[] good = WavBytes.mono(1, 16000, 16, WavBytes.pcm16(Signals.tone(300, 3000, 16000, 0, 400, 0)))
                .build();
        Random random = new Random(3);
        int refused = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] bad = java.util.Arrays.copyOf(good, random.nextInt(good.length + 1));
            for (int flips = random.nextInt(4); flips > 0 && bad.length > 0; flips--) {
                bad[random.nextInt(Math.min(bad.length, 64))] = (byte) random.nextInt(256);
            }
            try {
                WavAudio audio = WavReader.parse(bad);
                assertTrue(audio.length() <= 800);
            } catch (WavFormatException e) {
                refused++;
            }
        }
        assertTrue(refused > 1000, "refused " + refused);
    }

    /** sox writes its own headers (A-law with an 18-byte fmt and a fact chunk; PCM; µ-law): our parser reads them. */
    @ParameterizedTest
    @ValueSource(strings = {"signed-integer:16:16000", "a-law:8:8000", "u-law:8:8000", "signed-integer:16:48000"})
    void readsWavFilesMadeBySox(String spec, @TempDir Path dir) throws Exception {
        String[] parts = spec.split(":");
        int rate = Integer.parseInt(parts[2]);
        Path file = dir.resolve("tone.wav");
        sox("-n", "-r", parts[2], "-c", "1", "-e", parts[0], "-b", parts[1], file.toString(),
                "synth", "1", "sine", "1000", "vol", "0.5");
        WavAudio audio = WavReader.read(file);
        assertEquals(rate, audio.sampleRate());
        assertEquals(rate, audio.length());
        short[] samples = audio.samples();
        double amplitude = Signals.goertzelAmplitude(samples, 1000, rate);
        assertEquals(16384, amplitude, 16384 * 0.03, spec);
        // G.711's quantisation puts its distortion about 30 dB down; linear PCM is far cleaner.
        double floor = parts[0].endsWith("law") ? 30 : 1000;
        assertTrue(Signals.goertzelAmplitude(samples, 2000, rate) < amplitude / floor, spec);
    }

    /** Real files from sox that this server does not play are refused with the right problem named. */
    @ParameterizedTest
    @CsvSource({
        "44100, 1, signed-integer, 16, UNSUPPORTED_RATE",
        "8000, 2, signed-integer, 16, UNSUPPORTED_CHANNELS",
        "48000, 1, signed-integer, 24, UNSUPPORTED_BITS",
        "16000, 1, floating-point, 32, UNSUPPORTED_ENCODING",
        "8000, 1, unsigned-integer, 8, UNSUPPORTED_BITS"})
    void namesWhatIsWrongWithSoxFiles(int rate, int channels, String encoding, int bits, Problem expected,
            @TempDir Path dir) throws Exception {
        Path file = dir.resolve("unplayable.wav");
        sox("-n", "-r", Integer.toString(rate), "-c", Integer.toString(channels), "-e", encoding,
                "-b", Integer.toString(bits), file.toString(), "synth", "0.05", "sine", "440");
        WavFormatException e = assertThrows(WavFormatException.class, () -> WavReader.read(file));
        assertEquals(expected, e.problem(), e.getMessage());
    }

    static void sox(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("sox", "-V1", "-D"));
        command.addAll(List.of(args));
        Tools.run(command);
    }

    @Test
    void refusesOversizedFilesBeforeReadingThem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("big.wav");
        Files.write(file, WavBytes.mono(1, 8000, 16, new byte[10_000]).build());
        WavFormatException e = assertThrows(WavFormatException.class, () -> WavReader.read(file, 1000));
        assertEquals(Problem.TOO_LARGE, e.problem());
    }
}
