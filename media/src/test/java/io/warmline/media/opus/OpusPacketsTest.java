package io.warmline.media.opus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OpusPacketsTest {

    private static int rateOfConfig(int config) {
        return OpusPackets.audioRate(new byte[] {(byte) (config << 3), 0}, 0, 2);
    }

    @Test
    void theTocBandwidthMapsToTheLowestRateThatCarriesIt() {
        // RFC 6716 §3.1, Table 2
        for (int c = 0; c <= 3; c++) {
            assertEquals(8000, rateOfConfig(c), "SILK NB " + c);
            assertEquals(16000, rateOfConfig(4 + c), "SILK MB " + c);
            assertEquals(16000, rateOfConfig(8 + c), "SILK WB " + c);
            assertEquals(8000, rateOfConfig(16 + c), "CELT NB " + c);
            assertEquals(16000, rateOfConfig(20 + c), "CELT WB " + c);
            assertEquals(48000, rateOfConfig(24 + c), "CELT SWB " + c);
            assertEquals(48000, rateOfConfig(28 + c), "CELT FB " + c);
        }
        for (int c = 12; c <= 15; c++) {
            assertEquals(48000, rateOfConfig(c), "hybrid " + c);
        }
        assertEquals(-1, OpusPackets.audioRate(new byte[0], 0, 0));
    }

    @Test
    void realPacketsOfEachProfileCarryTheirBand() {
        short[] pcm = new short[320];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        byte[] out = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        OpusVoiceEncoder wide = new OpusVoiceEncoder(OpusConfig.wideband());
        int n = wide.encode(pcm, 0, out, 0, out.length);
        assertEquals(16000, OpusPackets.audioRate(out, 0, n));
        OpusVoiceEncoder narrowed = new OpusVoiceEncoder(OpusConfig.wideband());
        narrowed.narrow(true);
        n = narrowed.encode(pcm, 0, out, 0, out.length);
        assertEquals(8000, OpusPackets.audioRate(out, 0, n));
    }

    @Test
    void narrowedKeepsRateComplexityFecAndDtx() {
        OpusConfig w = OpusConfig.wideband();
        OpusConfig n = w.narrowed();
        assertEquals(OpusBandwidth.NARROWBAND, n.maxBandwidth());
        assertEquals(w.sampleRate(), n.sampleRate());
        assertEquals(w.complexity(), n.complexity());
        assertEquals(w.inbandFec(), n.inbandFec());
        assertEquals(w.dtx(), n.dtx());
        assertEquals(OpusConfig.telephoneBand().bitrate(), n.bitrate());
        assertEquals(12000, new OpusConfig(16000, 20, 12000, 2, false, 0, false).narrowed().bitrate());
    }
}
