package io.warmline.media.quality;

/**
 * A codec's parameters for the E-model: equipment impairment {@code Ie}, packet-loss robustness {@code Bpl}, and the
 * algorithmic delay it adds beyond the frame itself.
 *
 * @param ie equipment impairment factor, 0 for G.711 (ITU-T G.113 Appendix I)
 * @param bpl packet-loss robustness factor (ITU-T G.107 §7.4; values from G.113 Appendix I where listed)
 * @param lookaheadMillis the codec's look-ahead, added to the mouth-to-ear delay
 */
public record CodecImpairment(String name, double ie, double bpl, double lookaheadMillis) {

    /** G.711 with packet-loss concealment (G.711 Appendix I, as {@code plc.G711Concealer}): Ie 0, Bpl 25.1 (G.113 Appendix I). */
    public static final CodecImpairment G711_PLC = new CodecImpairment("G.711+PLC", 0, 25.1, 0);

    /** G.711 playing silence for lost packets: Ie 0, Bpl 4.3 (G.113 Appendix I). */
    public static final CodecImpairment G711_NO_PLC = new CodecImpairment("G.711", 0, 4.3, 0);

    /**
     * Opus in VoIP mode at telephone-band bitrates. G.113 lists no Opus values, so these are stated assumptions for
     * the narrowband E-model: Ie 11 and Bpl 20, i.e. rated like G.729A with its own concealment (G.113: Ie 11,
     * Bpl 19), slightly more loss-robust for Opus's concealment; look-ahead 6.5 ms (RFC 6716 §2: 2.5 ms CELT
     * look-ahead plus the 4 ms SILK resampler/look-ahead in hybrid/SILK modes). This undervalues Opus's wideband
     * quality, which the narrowband model cannot credit.
     */
    public static final CodecImpairment OPUS = new CodecImpairment("Opus", 11, 20, 6.5);

    public CodecImpairment {
        if (!(ie >= 0 && ie <= 95) || !(bpl > 0 && bpl <= 100) || !(lookaheadMillis >= 0 && lookaheadMillis < 1000)) {
            throw new IllegalArgumentException("codec impairment out of range: Ie " + ie + ", Bpl " + bpl
                    + ", look-ahead " + lookaheadMillis);
        }
    }
}
