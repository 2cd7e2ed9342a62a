package io.warmline.media.opus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.plc.SpeechLike;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpusVoiceCodecTest {

    /** Encodes and decodes a whole signal frame by frame; frames in {@code lost} are concealed instead. */
    static short[] roundTrip(OpusConfig config, short[] signal, java.util.Set<Integer> lost, boolean useFec) {
        OpusVoiceEncoder encoder = new OpusVoiceEncoder(config);
        OpusVoiceDecoder decoder = new OpusVoiceDecoder(config.sampleRate());
        int n = config.frameSamples();
        int frames = signal.length / n;
        byte[][] packets = new byte[frames][];
        byte[] buffer = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        for (int f = 0; f < frames; f++) {
            int len = encoder.encode(signal, f * n, buffer, 0, buffer.length);
            packets[f] = java.util.Arrays.copyOf(buffer, len);
        }
        short[] out = new short[frames * n];
        for (int f = 0; f < frames; f++) {
            if (lost.contains(f)) {
                if (useFec && f + 1 < frames && !lost.contains(f + 1)) {
                    assertEquals(n, decoder.recover(packets[f + 1], 0, packets[f + 1].length, out, f * n, n));
                } else {
                    assertEquals(n, decoder.conceal(out, f * n, n));
                }
            } else {
                assertEquals(n, decoder.decode(packets[f], 0, packets[f].length, out, f * n, n));
            }
        }
        return out;
    }

    /** Best normalised correlation of {@code decoded} against {@code reference} over delays 0..maxLag. */
    static Aligned align(short[] reference, short[] decoded, int maxLag, int from, int to) {
        Aligned best = new Aligned(0, -1);
        for (int lag = 0; lag <= maxLag; lag++) {
            double c = correlation(reference, decoded, lag, from, to);
            if (c > best.correlation()) {
                best = new Aligned(lag, c);
            }
        }
        return best;
    }

    static double correlation(short[] reference, short[] decoded, int lag, int from, int to) {
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = from; i < to && i + lag < decoded.length; i++) {
            double x = reference[i];
            double y = decoded[i + lag];
            xy += x * y;
            xx += x * x;
            yy += y * y;
        }
        return xy / Math.sqrt(xx * yy + 1e-9);
    }

    record Aligned(int lag, double correlation) {
    }

    @ParameterizedTest
    @CsvSource({"48000,24000,5,0.93", "16000,16000,5,0.93", "8000,12000,0,0.90", "16000,12000,0,0.90"})
    void decodedSpeechCorrelatesWithTheInput(int rate, int bitrate, int complexity, double floor) {
        OpusConfig config = new OpusConfig(rate, 20, bitrate, complexity, false, 0, false);
        short[] signal = SpeechLike.generate(rate, 1.5, 5);
        short[] out = roundTrip(config, signal, java.util.Set.of(), false);
        Aligned a = align(signal, out, rate / 50, rate / 10, signal.length - rate / 20);
        assertTrue(a.correlation() >= floor, rate + " Hz " + bitrate + " bit/s: correlation " + a.correlation()
                + " at lag " + a.lag());
        int lookahead = new OpusVoiceEncoder(config).lookahead();
        assertTrue(Math.abs(a.lag() - lookahead) <= rate / 1000, "delay " + a.lag() + " vs look-ahead " + lookahead);
    }

    @Test
    void inBandFecRecoversALostFrameBetterThanConcealment() {
        int rate = 16000;
        OpusConfig config = new OpusConfig(rate, 20, 24000, 5, true, 20, false);
        short[] signal = SpeechLike.generate(rate, 2.0, 9);
        java.util.Set<Integer> lost = new java.util.HashSet<>();
        for (int f = 10; f < 95; f += 6) {
            lost.add(f);
        }
        short[] clean = roundTrip(config, signal, java.util.Set.of(), false);
        short[] fec = roundTrip(config, signal, lost, true);
        short[] plc = roundTrip(config, signal, lost, false);
        double fecError = 0;
        double plcError = 0;
        int n = config.frameSamples();
        for (int f : lost) {
            for (int i = f * n; i < (f + 1) * n; i++) {
                fecError += Math.pow(fec[i] - clean[i], 2);
                plcError += Math.pow(plc[i] - clean[i], 2);
            }
        }
        double gainDb = 10 * Math.log10(plcError / fecError);
        assertTrue(gainDb >= 3, "FEC only " + gainDb + " dB closer to the clean decode than concealment");
    }

    @Test
    void concealmentKeepsSoundGoingAndFades() {
        int rate = 48000;
        OpusConfig config = OpusConfig.voice(rate);
        short[] signal = SpeechLike.generate(rate, 1.0, 2);
        short[] out = roundTrip(config, signal, java.util.Set.of(20, 21, 22, 23, 24, 25, 26, 27, 28, 29), false);
        int n = config.frameSamples();
        double first = rms(out, 20 * n, 21 * n);
        double last = rms(out, 29 * n, 30 * n);
        assertTrue(first > 0.1 * rms(signal, 18 * n, 20 * n), "first concealed frame is not silence: " + first);
        assertTrue(last < 0.25 * first, "a long loss fades: " + first + " -> " + last);
    }

    @Test
    void dtxSuppressesSilenceButNotSpeech() {
        int rate = 16000;
        OpusVoiceEncoder encoder = new OpusVoiceEncoder(new OpusConfig(rate, 20, 16000, 5, false, 0, true));
        byte[] out = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        short[] silence = new short[320];
        int sent = 0;
        for (int f = 0; f < 100; f++) {
            if (encoder.encode(silence, 0, out, 0, out.length) > 0) {
                sent++;
            }
        }
        assertTrue(sent <= 20, "2 s of silence sent " + sent + " packets");
        assertEquals(100 - sent, encoder.suppressedFrames());
        short[] speech = SpeechLike.generate(rate, 0.4, 1);
        int speechSent = 0;
        for (int f = 0; f < 20; f++) {
            if (encoder.encode(speech, f * 320, out, 0, out.length) > 2) {
                speechSent++;
            }
        }
        assertEquals(20, speechSent);
    }

    @Test
    void aResetEncoderPrimedWithTheStreamCodesItsNextFrameAsTheEncoderThatRanIt() {
        OpusConfig config = OpusConfig.wideband().narrowedAt8kHz();
        short[] pcm = SpeechLike.generate(8000, 0.2, 7);
        short[] other = SpeechLike.generate(8000, 0.2, 11);
        OpusVoiceEncoder running = new OpusVoiceEncoder(config);
        OpusVoiceEncoder reused = new OpusVoiceEncoder(config);
        byte[] a = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        byte[] b = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        for (int f = 0; f < 5; f++) {
            reused.encode(other, f * 160, b, 0, b.length);
        }
        int n = 0;
        for (int f = 0; f < 5; f++) {
            n = running.encode(pcm, f * 160, a, 0, a.length);
        }
        reused.reset();
        for (int f = 0; f < 4; f++) {
            reused.prime(pcm, f * 160);
        }
        int m = reused.encode(pcm, 4 * 160, b, 0, b.length);
        assertEquals(n, m);
        assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOf(a, n)),
                java.util.Arrays.toString(java.util.Arrays.copyOf(b, m)));
        // without the reset its state from the other audio shows in the packet
        OpusVoiceEncoder stale = new OpusVoiceEncoder(config);
        for (int f = 0; f < 5; f++) {
            stale.encode(other, f * 160, b, 0, b.length);
        }
        for (int f = 0; f < 4; f++) {
            stale.prime(pcm, f * 160);
        }
        int k = stale.encode(pcm, 4 * 160, b, 0, b.length);
        assertTrue(k != n || !java.util.Arrays.equals(a, 0, n, b, 0, k));
    }

    @Test
    void primingIsNotCountedAsDtx() {
        OpusVoiceEncoder encoder = new OpusVoiceEncoder(new OpusConfig(16000, 20, 16000, 5, false, 0, true));
        short[] silence = new short[320];
        for (int f = 0; f < 30; f++) {
            encoder.prime(silence, 0);
        }
        assertEquals(0, encoder.suppressedFrames());
    }

    @Test
    void malformedPacketsAreCountedAndConcealed() {
        OpusVoiceDecoder decoder = new OpusVoiceDecoder(48000);
        short[] out = new short[5760];
        // Code 3 with a frame count of zero, an empty packet, and 130 ms of 10 ms CELT frames.
        assertEquals(960, decoder.decode(new byte[] {(byte) 0xFB, 0}, 0, 2, out, 0, 960));
        assertEquals(960, decoder.decode(new byte[0], 0, 0, out, 0, 960));
        assertEquals(960, decoder.decode(new byte[] {(byte) (26 << 3 | 3), 13}, 0, 2, out, 0, 960));
        assertEquals(3, decoder.malformedPackets());
        assertEquals(3, decoder.concealedPackets());
        assertEquals(0, decoder.decodedPackets());
    }

    @Test
    void encoderWritesIntoTheCallersBufferWithinItsLimit() {
        OpusVoiceEncoder encoder = new OpusVoiceEncoder(new OpusConfig(48000, 20, 64000, 5, false, 0, false));
        short[] pcm = SpeechLike.generate(48000, 0.02, 4);
        byte[] out = new byte[2000];
        out[99] = 0x55;
        int len = encoder.encode(pcm, 0, out, 100, 1500);
        assertTrue(len > 10 && len <= 1500);
        assertEquals(0x55, out[99], "nothing written before the offset");
        assertEquals(960, OpusPackets.samples(out, 100, len, 48000));
        int capped = encoder.encode(pcm, 0, out, 0, 20);
        assertTrue(capped >= 1 && capped <= 20, "the byte limit caps the packet: " + capped);
        assertThrows(IndexOutOfBoundsException.class, () -> encoder.encode(pcm, 0, out, 1990, 20));
    }

    @Test
    void tocGivesThePacketDuration() {
        // RFC 6716 §3.1: config in the top five bits, code in the bottom two.
        assertEquals(960, OpusPackets.samples(new byte[] {(byte) (1 << 3)}, 0, 1, 48000), "SILK NB 20 ms");
        assertEquals(160, OpusPackets.samples(new byte[] {(byte) (1 << 3)}, 0, 1, 8000));
        assertEquals(2880, OpusPackets.samples(new byte[] {(byte) (11 << 3)}, 0, 1, 48000), "SILK WB 60 ms");
        assertEquals(480, OpusPackets.samples(new byte[] {(byte) (14 << 3)}, 0, 1, 48000), "hybrid FB 10 ms");
        assertEquals(120, OpusPackets.samples(new byte[] {(byte) (16 << 3)}, 0, 1, 48000), "CELT 2.5 ms");
        assertEquals(1920, OpusPackets.samples(new byte[] {(byte) (31 << 3 | 1)}, 0, 1, 48000), "two 20 ms frames");
        assertEquals(5760, OpusPackets.samples(new byte[] {(byte) (31 << 3 | 3), 6}, 0, 2, 48000), "six 20 ms");
        assertEquals(-1, OpusPackets.samples(new byte[] {(byte) (31 << 3 | 3), 7}, 0, 2, 48000), "140 ms");
        assertEquals(-1, OpusPackets.samples(new byte[] {(byte) (31 << 3 | 3)}, 0, 1, 48000), "no count byte");
        assertEquals(1920, new OpusConfig(48000, 40, 24000, 5, false, 0, false).rtpTimestampIncrement());
        assertEquals(960, OpusConfig.voice(8000).rtpTimestampIncrement(), "RTP clock is 48 kHz at any rate");
    }

    @Test
    void configIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new OpusConfig(44100, 20, 24000, 5, false, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new OpusConfig(48000, 30, 24000, 5, false, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new OpusConfig(48000, 20, 1000, 5, false, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new OpusConfig(48000, 20, 24000, 11, false, 0, false));
        OpusVoiceDecoder decoder = new OpusVoiceDecoder(16000);
        assertThrows(IllegalArgumentException.class, () -> decoder.conceal(new short[400], 0, 33));
    }

    private static double rms(short[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) x[i] * x[i];
        }
        return Math.sqrt(e / (to - from));
    }
}
