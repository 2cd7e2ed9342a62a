package io.warmline.media.codec;

/**
 * ITU-T G.711 µ-law (PCMU) and A-law (PCMA), by table lookup.
 *
 * <p>G.711 is defined on 14-bit (µ-law) and 13-bit (A-law) linear samples. Our 16-bit input is reduced to that
 * precision by rounding to the nearest step (ties upward) before the G.711 decision levels are applied; this is the
 * rule sox applies, and is half a step less biased than truncating. Decoding gives the G.711 output values scaled to
 * 16 bits (µ-law ±32124, A-law ±32256 at full scale).
 *
 * <p>{@link #ulawToAlaw} and {@link #alawToUlaw} follow G.711 Tables 3 and 4 (the direct code-to-code conversions),
 * not a decode/re-encode through linear. All methods are stateless and thread-safe.
 */
public final class G711 {

    private static final byte[] LINEAR_TO_ULAW = new byte[65536];
    private static final byte[] LINEAR_TO_ALAW = new byte[65536];
    private static final short[] ULAW_TO_LINEAR = new short[256];
    private static final short[] ALAW_TO_LINEAR = new short[256];
    private static final byte[] ULAW_TO_ALAW = new byte[256];
    private static final byte[] ALAW_TO_ULAW = new byte[256];

    /** µ-law quantisation bias and magnitude clip, in 14-bit units (G.711 Table 2a). */
    private static final int ULAW_BIAS = 33;
    private static final int ULAW_CLIP = 8159;

    /**
     * G.711 Table 3 (µ-law to A-law) on magnitudes: index is the µ-law magnitude number (0 = smallest, i.e. code
     * 0xFF or 0x7F), value the A-law magnitude number (0 = smallest, i.e. code 0xD5 or 0x55).
     */
    private static final int[] TABLE3_ULAW_TO_ALAW = {
        0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7,
        8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23,
        24, 26, 28, 30, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
        45, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61,
        63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78,
        79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
        96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
    };

    /** G.711 Table 4 (A-law to µ-law) on magnitudes, numbered as in {@link #TABLE3_ULAW_TO_ALAW}. */
    private static final int[] TABLE4_ALAW_TO_ULAW = {
        1, 3, 5, 7, 9, 11, 13, 15, 16, 17, 18, 19, 20, 21, 22, 23,
        24, 25, 26, 27, 28, 29, 30, 31, 32, 32, 33, 33, 34, 34, 35, 35,
        36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 48, 49, 49,
        50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 64,
        65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80,
        80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95,
        96, 97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
        112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127,
    };

    static {
        for (int i = 0; i < 65536; i++) {
            short pcm = (short) i;
            LINEAR_TO_ULAW[i] = (byte) encodeUlaw14(reduce(pcm, 2, -8192, 8191));
            LINEAR_TO_ALAW[i] = (byte) encodeAlaw13(reduce(pcm, 3, -4096, 4095));
        }
        for (int c = 0; c < 256; c++) {
            ULAW_TO_LINEAR[c] = decodeUlaw(c);
            ALAW_TO_LINEAR[c] = decodeAlaw(c);

            boolean uPositive = (c & 0x80) != 0;
            int uMagnitude = ~c & 0x7F;
            ULAW_TO_ALAW[c] = (byte) (TABLE3_ULAW_TO_ALAW[uMagnitude] ^ (uPositive ? 0xD5 : 0x55));

            boolean aPositive = (c & 0x80) != 0;
            int aMagnitude = (c ^ 0x55) & 0x7F;
            ALAW_TO_ULAW[c] = (byte) ((~TABLE4_ALAW_TO_ULAW[aMagnitude] & 0x7F) | (aPositive ? 0x80 : 0));
        }
    }

    private G711() {
    }

    public static byte linearToUlaw(short pcm) {
        return LINEAR_TO_ULAW[pcm & 0xFFFF];
    }

    public static short ulawToLinear(byte u) {
        return ULAW_TO_LINEAR[u & 0xFF];
    }

    public static byte linearToAlaw(short pcm) {
        return LINEAR_TO_ALAW[pcm & 0xFFFF];
    }

    public static short alawToLinear(byte a) {
        return ALAW_TO_LINEAR[a & 0xFF];
    }

    /** G.711 Table 3: µ-law code to A-law code without passing through linear. */
    public static byte ulawToAlaw(byte u) {
        return ULAW_TO_ALAW[u & 0xFF];
    }

    /** G.711 Table 4: A-law code to µ-law code without passing through linear. */
    public static byte alawToUlaw(byte a) {
        return ALAW_TO_ULAW[a & 0xFF];
    }

    /** Encodes {@code len} samples of {@code pcm} from {@code off} into {@code out} from {@code outOff}. */
    public static void encodeUlaw(short[] pcm, int off, int len, byte[] out, int outOff) {
        checkRange(pcm.length, off, len, out.length, outOff);
        for (int i = 0; i < len; i++) {
            out[outOff + i] = LINEAR_TO_ULAW[pcm[off + i] & 0xFFFF];
        }
    }

    /** Decodes {@code len} µ-law bytes of {@code in} from {@code off} into {@code out} from {@code outOff}. */
    public static void decodeUlaw(byte[] in, int off, int len, short[] out, int outOff) {
        checkRange(in.length, off, len, out.length, outOff);
        for (int i = 0; i < len; i++) {
            out[outOff + i] = ULAW_TO_LINEAR[in[off + i] & 0xFF];
        }
    }

    /** Encodes {@code len} samples of {@code pcm} from {@code off} into {@code out} from {@code outOff}. */
    public static void encodeAlaw(short[] pcm, int off, int len, byte[] out, int outOff) {
        checkRange(pcm.length, off, len, out.length, outOff);
        for (int i = 0; i < len; i++) {
            out[outOff + i] = LINEAR_TO_ALAW[pcm[off + i] & 0xFFFF];
        }
    }

    /** Decodes {@code len} A-law bytes of {@code in} from {@code off} into {@code out} from {@code outOff}. */
    public static void decodeAlaw(byte[] in, int off, int len, short[] out, int outOff) {
        checkRange(in.length, off, len, out.length, outOff);
        for (int i = 0; i < len; i++) {
            out[outOff + i] = ALAW_TO_LINEAR[in[off + i] & 0xFF];
        }
    }

    /** Converts µ-law bytes to A-law in place or between arrays (Table 3), for PCMU to PCMA relaying. */
    public static void ulawToAlaw(byte[] in, int off, int len, byte[] out, int outOff) {
        checkRange(in.length, off, len, out.length, outOff);
        for (int i = 0; i < len; i++) {
            out[outOff + i] = ULAW_TO_ALAW[in[off + i] & 0xFF];
        }
    }

    /** Converts A-law bytes to µ-law in place or between arrays (Table 4), for PCMA to PCMU relaying. */
    public static void alawToUlaw(byte[] in, int off, int len, byte[] out, int outOff) {
        checkRange(in.length, off, len, out.length, outOff);
        for (int i = 0; i < len; i++) {
            out[outOff + i] = ALAW_TO_ULAW[in[off + i] & 0xFF];
        }
    }

    private static void checkRange(int inLength, int off, int len, int outLength, int outOff) {
        if (off < 0 || len < 0 || outOff < 0 || len > inLength - off || len > outLength - outOff) {
            throw new IndexOutOfBoundsException(
                    "off=" + off + " len=" + len + " in=" + inLength + " outOff=" + outOff + " out=" + outLength);
        }
    }

    /** 16-bit sample to the nearest {@code 16 - shift}-bit value, ties upward, clipped. */
    private static int reduce(short pcm, int shift, int min, int max) {
        int v = (pcm + (1 << (shift - 1))) >> shift;
        return Math.max(min, Math.min(max, v));
    }

    /** G.711 Table 2a: 14-bit two's complement to µ-law (all bits inverted on the line). */
    private static int encodeUlaw14(int v) {
        int mask = v < 0 ? 0x7F : 0xFF;
        int biased = Math.min(Math.abs(v), ULAW_CLIP) + ULAW_BIAS;
        int segment = Math.max(0, 32 - Integer.numberOfLeadingZeros(biased) - 6);
        int code = segment > 7 ? 0x7F : (segment << 4) | ((biased >> (segment + 1)) & 0x0F);
        return code ^ mask;
    }

    /**
     * G.711 Table 1a: 13-bit two's complement to A-law (even bits inverted on the line). Negative values are taken as
     * one's complement magnitudes, so -1 and 0 share the smallest magnitude.
     */
    private static int encodeAlaw13(int v) {
        int mask = v >= 0 ? 0xD5 : 0x55;
        int magnitude = v >= 0 ? v : -v - 1;
        int segment = Math.max(0, 32 - Integer.numberOfLeadingZeros(magnitude) - 5);
        int step = segment < 2 ? (magnitude >> 1) & 0x0F : (magnitude >> segment) & 0x0F;
        return ((segment << 4) | step) ^ mask;
    }

    private static short decodeUlaw(int code) {
        int u = ~code & 0xFF;
        int segment = (u >> 4) & 0x07;
        int t = (((u & 0x0F) << 3) + (ULAW_BIAS << 2)) << segment;
        return (short) ((u & 0x80) != 0 ? (ULAW_BIAS << 2) - t : t - (ULAW_BIAS << 2));
    }

    private static short decodeAlaw(int code) {
        int a = code ^ 0x55;
        int segment = (a >> 4) & 0x07;
        int step = a & 0x0F;
        int t = segment == 0 ? (step << 4) + 8 : ((step << 4) + 0x108) << (segment - 1);
        return (short) ((a & 0x80) != 0 ? t : -t);
    }
}
