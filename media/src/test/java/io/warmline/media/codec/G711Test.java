package io.warmline.media.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class G711Test {

    /** Known values from G.711 Tables 1a/2a (scaled to 16 bits) and the idle codes. */
    @ParameterizedTest(name = "{0} -> mu {1}, A {2}")
    @CsvSource({
        "0, 0xFF, 0xD5",
        "-1, 0xFF, 0xD5",
        "32767, 0x80, 0xAA",
        "-32768, 0x00, 0x2A",
        "8, 0xFE, 0xD5",
        "132, 0xEF, 0xDD",
        "-132, 0x6F, 0x52",
        "1000, 0xCE, 0xFA",
        "-1000, 0x4E, 0x7A",
    })
    void encodesKnownValues(int pcm, String mu, String a) {
        assertEquals(Integer.decode(mu).byteValue(), G711.linearToUlaw((short) pcm), "mu-law of " + pcm);
        assertEquals(Integer.decode(a).byteValue(), G711.linearToAlaw((short) pcm), "A-law of " + pcm);
    }

    @ParameterizedTest(name = "mu {0} -> {1}")
    @CsvSource({
        "0xFF, 0", "0x7F, 0", "0x80, 32124", "0x00, -32124", "0xFE, 8", "0x7E, -8", "0xEF, 132", "0xF0, 120",
        "0xDF, 396", "0xCF, 924",
    })
    void decodesKnownUlaw(String code, int pcm) {
        assertEquals(pcm, G711.ulawToLinear(Integer.decode(code).byteValue()));
    }

    @ParameterizedTest(name = "A {0} -> {1}")
    @CsvSource({
        "0xD5, 8", "0x55, -8", "0xAA, 32256", "0x2A, -32256", "0xD4, 24", "0xC5, 264", "0xF5, 528", "0xE5, 1056",
    })
    void decodesKnownAlaw(String code, int pcm) {
        assertEquals(pcm, G711.alawToLinear(Integer.decode(code).byteValue()));
    }

    /** G.711 Tables 3 and 4: extremes, idle codes and the entries around the published correction. */
    @ParameterizedTest(name = "mu {0} <-> A {1}")
    @CsvSource({
        "0xFF, 0xD5, 0xD5, 0xFE",
        "0x7F, 0x55, 0x55, 0x7E",
        "0x80, 0xAA, 0xAA, 0x80",
        "0x00, 0x2A, 0x2A, 0x00",
        "0xAF, 0x9A, 0x9A, 0xAF",
        "0xFE, 0xD5, 0xD4, 0xFC",
        "0xDF, 0xCD, 0xFA, 0xCE",
    })
    void transcodesKnownCodes(String mu, String a, String aIn, String muOut) {
        assertEquals(Integer.decode(a).byteValue(), G711.ulawToAlaw(Integer.decode(mu).byteValue()));
        assertEquals(Integer.decode(muOut).byteValue(), G711.alawToUlaw(Integer.decode(aIn).byteValue()));
    }

    @Test
    void decodeThenEncodeIsIdentityForEveryCodeExceptNegativeZero() {
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            byte u = G711.linearToUlaw(G711.ulawToLinear(code));
            assertEquals(c == 0x7F ? (byte) 0xFF : code, u, "mu-law code " + c);
            assertEquals(code, G711.linearToAlaw(G711.alawToLinear(code)), "A-law code " + c);
        }
    }

    @Test
    void encodingIsMonotonicAndSymmetric() {
        int previousU = Integer.MIN_VALUE;
        int previousA = Integer.MIN_VALUE;
        for (int x = -32768; x <= 32767; x++) {
            int u = G711.ulawToLinear(G711.linearToUlaw((short) x));
            int a = G711.alawToLinear(G711.linearToAlaw((short) x));
            assertTrue(u >= previousU && a >= previousA, "monotonic at " + x);
            previousU = u;
            previousA = a;
        }
        for (int c = 0; c < 128; c++) {
            assertEquals(-G711.ulawToLinear((byte) (c | 0x80)), G711.ulawToLinear((byte) c));
            assertEquals(-G711.alawToLinear((byte) (c | 0x80)), G711.alawToLinear((byte) c));
        }
    }

    /** Quantisation error never exceeds half a step of the segment, plus the rounding of the 16-bit input. */
    @Test
    void quantisationErrorIsBoundedBySegmentStep() {
        for (int x = -32000; x <= 32000; x++) {
            int u = G711.ulawToLinear(G711.linearToUlaw((short) x));
            int a = G711.alawToLinear(G711.linearToAlaw((short) x));
            int uStep = Math.max(ulawStep(x), ulawStep(u));
            int aStep = Math.max(alawStep(x), alawStep(a));
            assertTrue(Math.abs(u - x) <= uStep / 2 + 2, "mu-law error at " + x + ": " + (u - x) + " step " + uStep);
            assertTrue(Math.abs(a - x) <= aStep / 2 + 4, "A-law error at " + x + ": " + (a - x) + " step " + aStep);
        }
    }

    /** µ-law step in 16-bit units: 8 in the first segment, doubling per segment (G.711 Table 2a). */
    private static int ulawStep(int x) {
        return 8 << (31 - Integer.numberOfLeadingZeros((Math.abs(x) + 132) >> 7));
    }

    /** A-law step in 16-bit units: 16 in the first two segments, doubling per segment after (G.711 Table 1a). */
    private static int alawStep(int x) {
        return Math.abs(x) < 256 ? 16 : 16 << (31 - Integer.numberOfLeadingZeros(Math.abs(x) >> 8));
    }

    @Test
    void directTranscodingPreservesSignAndStaysWithinOneTargetStep() {
        for (int c = 0; c < 256; c++) {
            byte u = (byte) c;
            int from = G711.ulawToLinear(u);
            int via = G711.alawToLinear(G711.ulawToAlaw(u));
            assertEquals(c & 0x80, G711.ulawToAlaw(u) & 0x80, "sign of mu " + c);
            assertTrue(Math.abs(via - from) <= stepAround(via, true), "mu " + c + ": " + from + " -> " + via);

            byte a = (byte) c;
            int fromA = G711.alawToLinear(a);
            int viaU = G711.ulawToLinear(G711.alawToUlaw(a));
            assertEquals(c & 0x80, G711.alawToUlaw(a) & 0x80, "sign of A " + c);
            assertTrue(Math.abs(viaU - fromA) <= stepAround(viaU, false), "A " + c + ": " + fromA + " -> " + viaU);
        }
    }

    private static int stepAround(int value, boolean alaw) {
        int best = Integer.MAX_VALUE;
        for (int c = 0; c < 256; c++) {
            int v = alaw ? G711.alawToLinear((byte) c) : G711.ulawToLinear((byte) c);
            if (v != value && Math.abs(v - value) < best) {
                best = Math.abs(v - value);
            }
        }
        return best;
    }

    @Test
    void bulkMethodsMatchScalarMethodsAtOffsets() {
        short[] pcm = new short[400];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (i * 163 - 32000);
        }
        byte[] u = new byte[410];
        byte[] a = new byte[410];
        G711.encodeUlaw(pcm, 50, 300, u, 7);
        G711.encodeAlaw(pcm, 50, 300, a, 7);
        short[] du = new short[305];
        short[] da = new short[305];
        G711.decodeUlaw(u, 7, 300, du, 5);
        G711.decodeAlaw(a, 7, 300, da, 5);
        byte[] u2a = new byte[300];
        byte[] a2u = new byte[300];
        G711.ulawToAlaw(u, 7, 300, u2a, 0);
        G711.alawToUlaw(a, 7, 300, a2u, 0);
        for (int i = 0; i < 300; i++) {
            assertEquals(G711.linearToUlaw(pcm[50 + i]), u[7 + i]);
            assertEquals(G711.linearToAlaw(pcm[50 + i]), a[7 + i]);
            assertEquals(G711.ulawToLinear(u[7 + i]), du[5 + i]);
            assertEquals(G711.alawToLinear(a[7 + i]), da[5 + i]);
            assertEquals(G711.ulawToAlaw(u[7 + i]), u2a[i]);
            assertEquals(G711.alawToUlaw(a[7 + i]), a2u[i]);
        }
        assertEquals(0, u[6]);
        assertEquals(0, u[307]);
    }

    @Test
    void bulkMethodsRejectOutOfRangeWithoutWriting() {
        short[] pcm = new short[10];
        byte[] out = new byte[10];
        assertThrows(IndexOutOfBoundsException.class, () -> G711.encodeUlaw(pcm, 5, 6, out, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> G711.encodeAlaw(pcm, 0, 10, out, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> G711.decodeUlaw(out, -1, 1, pcm, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> G711.decodeAlaw(out, 0, -1, pcm, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> G711.ulawToAlaw(out, 0, 11, out, 0));
        assertArrayEquals(new byte[10], out);
    }

    /** Segmental SNR of an encode/decode round trip of a speech-like signal (voiced harmonics, syllabic envelope). */
    @Test
    void segmentalSnrOfRoundTripIsAboveFloor() {
        short[] speech = SpeechLikeSignal.generate(8000, 3.0, 42L);
        short[] u = new short[speech.length];
        short[] a = new short[speech.length];
        short[] viaTranscode = new short[speech.length];
        for (int i = 0; i < speech.length; i++) {
            u[i] = G711.ulawToLinear(G711.linearToUlaw(speech[i]));
            a[i] = G711.alawToLinear(G711.linearToAlaw(speech[i]));
            viaTranscode[i] = G711.alawToLinear(G711.ulawToAlaw(G711.linearToUlaw(speech[i])));
        }
        double snrU = SpeechLikeSignal.segmentalSnrDb(speech, u, 160);
        double snrA = SpeechLikeSignal.segmentalSnrDb(speech, a, 160);
        double snrT = SpeechLikeSignal.segmentalSnrDb(speech, viaTranscode, 160);
        assertTrue(snrU > 33.0, "mu-law segmental SNR " + snrU);
        assertTrue(snrA > 33.0, "A-law segmental SNR " + snrA);
        assertTrue(snrT > 30.0, "mu-law -> A-law tandem segmental SNR " + snrT);
        assertTrue(snrT < Math.min(snrU, snrA), "tandem must add noise: " + snrT);
    }
}
