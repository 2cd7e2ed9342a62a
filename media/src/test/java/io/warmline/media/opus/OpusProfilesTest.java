package io.warmline.media.opus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.resample.Resampler;
import io.warmline.media.testing.Speech;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chosen profiles on real speech: the PSTN recording through {@link OpusConfig#telephoneBand()}, espeak-ng speech
 * through {@link OpusConfig#wideband()}. Quality is the waveform match in the telephone band (300-3400 Hz) against the
 * input; the figures are in docs/performance.md.
 */
class OpusProfilesTest {

    @TempDir
    Path dir;

    /** What one profile did to one signal. */
    record Coded(short[] decoded, double kbitPerSecond, int sentPackets, int frames, int[] tocConfigs) {
    }

    static Coded code(OpusConfig config, short[] input) {
        OpusVoiceEncoder encoder = new OpusVoiceEncoder(config);
        OpusVoiceDecoder decoder = new OpusVoiceDecoder(config.sampleRate());
        int n = config.frameSamples();
        int frames = input.length / n;
        short[] out = new short[frames * n];
        byte[] packet = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        long bytes = 0;
        int sent = 0;
        int[] configs = new int[32];
        for (int f = 0; f < frames; f++) {
            int len = encoder.encode(input, f * n, packet, 0, packet.length);
            if (len == 0) {
                decoder.conceal(out, f * n, n);
                continue;
            }
            bytes += len;
            sent++;
            configs[(packet[0] & 0xFF) >>> 3]++;
            assertEquals(n, decoder.decode(packet, 0, len, out, f * n, n));
        }
        return new Coded(out, bytes * 8 / (frames * config.frameMillis() / 1000.0) / 1000, sent, frames, configs);
    }

    static short[] to8k(short[] x, int rate) {
        if (rate == 8000) {
            return x;
        }
        Resampler r = new Resampler(rate, 8000);
        short[] out = new short[r.outputLength(x.length)];
        r.process(x, 0, x.length, out, 0);
        return out;
    }

    /** Packets whose TOC configuration (RFC 6716 §3.1, Table 2) is in [from, to]. */
    static int packetsWithConfig(Coded c, int from, int to) {
        int n = 0;
        for (int i = from; i <= to; i++) {
            n += c.tocConfigs()[i];
        }
        return n;
    }

    @Test
    void telephoneBandKeepsPstnSpeechAsWellAsTheDefaultAt48kHz() throws Exception {
        short[] pstn = Speech.pstn();
        OpusConfig profile = OpusConfig.telephoneBand();
        Coded cheap = code(profile, pstn);
        SpeechQuality.Result q = SpeechQuality.compare(pstn, cheap.decoded(), 8000, 300, 3400, 400);
        Coded wide = code(OpusConfig.voice(48000), Speech.pstn(48000));
        SpeechQuality.Result reference = SpeechQuality.compare(pstn, to8k(wide.decoded(), 48000), 8000, 300, 3400,
                400);
        String figures = "telephoneBand: " + q + String.format(", %.1f kbit/s", cheap.kbitPerSecond())
                + "; voice(48000): " + reference + String.format(", %.1f kbit/s", wide.kbitPerSecond());
        assertTrue(q.correlation() >= 0.95 && q.segmentalSnrDb() >= 9, figures);
        assertTrue(q.segmentalSnrDb() >= reference.segmentalSnrDb() - 0.5, figures);
        assertEquals(cheap.sentPackets(), packetsWithConfig(cheap, 0, 3), "every packet SILK narrowband");
        assertTrue(cheap.kbitPerSecond() <= profile.bitrate() / 1000.0 * 1.1, figures);
    }

    @Test
    void widebandKeepsTheBandAbove4kHz() throws Exception {
        int rate = 16000;
        short[] speech = Speech.synthesized(dir, "wideband", Speech.SENTENCES, rate);
        OpusConfig profile = OpusConfig.wideband();
        Coded coded = code(profile, speech);
        SpeechQuality.Result q = SpeechQuality.compare(to8k(speech, rate), to8k(coded.decoded(), rate), 8000, 300,
                3400, 400);
        double upperIn = SpeechQuality.bandLevelDb(speech, rate, 4000, 7000, 300, 3400);
        double upperOut = SpeechQuality.bandLevelDb(coded.decoded(), rate, 4000, 7000, 300, 3400);
        String figures = "wideband: " + q + String.format(", %.1f kbit/s, 4-7 kHz band %.1f dB in, %.1f dB out",
                coded.kbitPerSecond(), upperIn, upperOut);
        assertTrue(q.correlation() >= 0.94 && q.segmentalSnrDb() >= 9, figures);
        assertTrue(Math.abs(upperOut - upperIn) <= 3, figures);
        assertEquals(coded.sentPackets(), packetsWithConfig(coded, 8, 11), "every packet SILK wideband");
        assertTrue(coded.kbitPerSecond() <= profile.bitrate() / 1000.0 * 1.1, figures);
    }

    @Test
    void theEncoderAt8kHzInputKeepsPstnSpeechAtComplexity0AsAtComplexity2() throws Exception {
        OpusConfig narrow = OpusConfig.wideband().narrowedAt8kHz();
        assertEquals(8000, narrow.sampleRate());
        assertEquals(0, narrow.complexity());
        assertEquals(OpusBandwidth.NARROWBAND, narrow.maxBandwidth());
        assertEquals(20000, narrow.bitrate());
        short[] pstn = Speech.pstn();
        // with FEC sized for 5 % loss (as after loss reports) and without (a clean call): measured 9.44 / 9.47 dB and
        // 11.40 / 11.33 dB segmental SNR at complexity 0 / 2
        for (boolean fec : new boolean[] {true, false}) {
            OpusConfig zero = new OpusConfig(8000, 20, narrow.bitrate(), 0, fec, fec ? 5 : 0, false,
                    OpusBandwidth.NARROWBAND);
            OpusConfig two = new OpusConfig(8000, 20, narrow.bitrate(), 2, fec, fec ? 5 : 0, false,
                    OpusBandwidth.NARROWBAND);
            SpeechQuality.Result q0 = SpeechQuality.compare(pstn, code(zero, pstn).decoded(), 8000, 300, 3400, 400);
            SpeechQuality.Result q2 = SpeechQuality.compare(pstn, code(two, pstn).decoded(), 8000, 300, 3400, 400);
            String figures = "FEC " + fec + ": complexity 0 " + q0 + ", complexity 2 " + q2;
            assertTrue(q0.segmentalSnrDb() >= q2.segmentalSnrDb() - 0.3, figures);
            assertTrue(q0.correlation() >= 0.95, figures);
        }
    }

    @Test
    void theProfilesAreWhatTheDocumentationSays() {
        OpusConfig t = OpusConfig.telephoneBand();
        assertEquals(8000, t.sampleRate());
        assertEquals(OpusBandwidth.NARROWBAND, t.maxBandwidth());
        assertEquals(960, t.rtpTimestampIncrement(), "the RTP clock stays 48 kHz");
        OpusConfig w = OpusConfig.wideband();
        assertEquals(16000, w.sampleRate());
        assertEquals(OpusBandwidth.WIDEBAND, w.maxBandwidth());
        assertEquals(OpusBandwidth.FULLBAND, OpusConfig.voice(48000).maxBandwidth(), "no limit unless asked");
        assertThrows(NullPointerException.class, () -> new OpusConfig(8000, 20, 20000, 2, true, 5, false, null));
    }
}
