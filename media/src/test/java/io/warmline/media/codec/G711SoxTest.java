package io.warmline.media.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden vectors: every 16-bit value, a chirp and every code, compared byte for byte with sox's G.711. */
class G711SoxTest {

    @TempDir
    Path dir;

    @Test
    void encoderMatchesSoxForEverySampleValue() throws Exception {
        short[] all = new short[65536];
        for (int i = 0; i < all.length; i++) {
            all[i] = (short) (i - 32768);
        }
        assertEncoderMatchesSox(all);
    }

    @Test
    void encoderMatchesSoxForChirp() throws Exception {
        short[] chirp = new short[16000];
        for (int i = 0; i < chirp.length; i++) {
            double t = i / 8000.0;
            double f = 100 * Math.pow(38, t / 2.0);
            double phase = 2 * Math.PI * 100 * 2.0 / Math.log(38) * (Math.pow(38, t / 2.0) - 1);
            chirp[i] = (short) Math.round(32000 * Math.sin(phase) * Math.min(1.0, f / 400));
        }
        assertEncoderMatchesSox(chirp);
    }

    @Test
    void decoderMatchesSoxForEveryCode() throws Exception {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        Path in = Files.write(dir.resolve("codes.raw"), codes);
        Sox.convert(in, "u-law", 8, dir.resolve("ul.pcm"), "signed-integer", 16);
        Sox.convert(in, "a-law", 8, dir.resolve("al.pcm"), "signed-integer", 16);
        short[] soxU = Sox.readPcm(dir.resolve("ul.pcm"));
        short[] soxA = Sox.readPcm(dir.resolve("al.pcm"));
        short[] ours = new short[256];
        G711.decodeUlaw(codes, 0, 256, ours, 0);
        assertArrayEquals(soxU, ours, "mu-law decode");
        G711.decodeAlaw(codes, 0, 256, ours, 0);
        assertArrayEquals(soxA, ours, "A-law decode");
    }

    /**
     * sox transcodes through linear; G.711 Tables 3/4 differ from that in a few magnitudes by design. Check the
     * differences are few, at most one code step, and never touch the sign (µ-law negative zero, which decodes to 0,
     * legitimately becomes positive through linear).
     */
    @Test
    void directTranscodingAgreesWithSoxThroughLinearExceptFewOneStepEntries() throws Exception {
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        Path in = Files.write(dir.resolve("codes.raw"), codes);
        Sox.convert(in, "u-law", 8, dir.resolve("u2a.al"), "a-law", 8);
        Sox.convert(in, "a-law", 8, dir.resolve("a2u.ul"), "u-law", 8);
        byte[] soxU2a = Files.readAllBytes(dir.resolve("u2a.al"));
        byte[] soxA2u = Files.readAllBytes(dir.resolve("a2u.ul"));
        int differentU2a = 0;
        int differentA2u = 0;
        for (int c = 0; c < 256; c++) {
            int ours = G711.ulawToAlaw((byte) c) & 0xFF;
            int sox = soxU2a[c] & 0xFF;
            if (ours != sox && G711.ulawToLinear((byte) c) != 0) {
                differentU2a++;
                assertEquals(1, Math.abs(((ours ^ 0x55) & 0x7F) - ((sox ^ 0x55) & 0x7F)), "mu " + c);
                assertEquals(ours & 0x80, sox & 0x80, "sign of mu " + c);
            }
            int oursU = G711.alawToUlaw((byte) c) & 0xFF;
            int soxU = soxA2u[c] & 0xFF;
            if (oursU != soxU) {
                differentA2u++;
                assertEquals(1, Math.abs((oursU & 0x7F) - (soxU & 0x7F)), "A " + c);
                assertEquals(oursU & 0x80, soxU & 0x80, "sign of A " + c);
            }
        }
        // Through linear, sox rounds negative A-law values as one's complement, hence more negative differences.
        assertTrue(differentU2a <= 48, "mu->A entries differing from sox: " + differentU2a);
        assertTrue(differentA2u <= 32, "A->mu entries differing from sox: " + differentA2u);
    }

    private void assertEncoderMatchesSox(short[] pcm) throws IOException, InterruptedException {
        Path in = dir.resolve("in.pcm");
        Sox.writePcm(in, pcm);
        Sox.convert(in, "signed-integer", 16, dir.resolve("out.ul"), "u-law", 8);
        Sox.convert(in, "signed-integer", 16, dir.resolve("out.al"), "a-law", 8);
        byte[] ours = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, pcm.length, ours, 0);
        assertFirstDifference(Files.readAllBytes(dir.resolve("out.ul")), ours, pcm, "mu-law");
        G711.encodeAlaw(pcm, 0, pcm.length, ours, 0);
        assertFirstDifference(Files.readAllBytes(dir.resolve("out.al")), ours, pcm, "A-law");

        Sox.convert(dir.resolve("out.ul"), "u-law", 8, dir.resolve("back.pcm"), "signed-integer", 16);
        short[] back = Sox.readPcm(dir.resolve("back.pcm"));
        short[] oursBack = new short[pcm.length];
        G711.encodeUlaw(pcm, 0, pcm.length, ours, 0);
        G711.decodeUlaw(ours, 0, pcm.length, oursBack, 0);
        assertArrayEquals(back, oursBack, "mu-law round trip");
    }

    private static void assertFirstDifference(byte[] expected, byte[] actual, short[] pcm, String law) {
        assertEquals(expected.length, actual.length, law + " length");
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                throw new AssertionError(String.format("%s differs from sox at sample %d (pcm %d): sox 0x%02X ours 0x%02X",
                        law, i, pcm[i], expected[i] & 0xFF, actual[i] & 0xFF));
            }
        }
    }
}
