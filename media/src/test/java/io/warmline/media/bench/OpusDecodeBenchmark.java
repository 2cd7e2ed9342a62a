package io.warmline.media.bench;

import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceDecoder;
import io.warmline.media.opus.OpusVoiceEncoder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Concentus Opus decode, one 20 ms packet per operation. The packets are made in the setup by encoding speech at
 * {@code encodeRate} (24 kbit/s, complexity 5); they are decoded at {@code decodeRate} (an Opus decoder outputs any
 * rate whatever the packet's bandwidth, so a browser's packets can be decoded straight to 8 kHz for a PCMU leg).
 * {@code conceal} is the decoder's own loss concealment for one 20 ms frame, every other frame lost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpusDecodeBenchmark {

    @Param({"8000", "16000", "48000"})
    int encodeRate;

    @Param({"8000", "48000"})
    int decodeRate;

    /** pstn, tts or tone (see {@link BenchSignals#of}). */
    @Param({"pstn"})
    String signal;

    private byte[][] packets;
    private int next;
    private OpusVoiceDecoder decoder;
    private short[] pcm;
    private int frameSamples;

    @Setup
    public void setUp() {
        OpusConfig config = new OpusConfig(encodeRate, 20, 24000, 5, false, 0, false);
        OpusVoiceEncoder encoder = new OpusVoiceEncoder(config);
        short[] speech = BenchSignals.of(signal, encodeRate);
        int n = config.frameSamples();
        packets = new byte[speech.length / n][];
        byte[] buffer = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        for (int f = 0; f < packets.length; f++) {
            packets[f] = Arrays.copyOf(buffer, encoder.encode(speech, f * n, buffer, 0, buffer.length));
        }
        decoder = new OpusVoiceDecoder(decodeRate);
        frameSamples = decodeRate / 50;
        pcm = new short[frameSamples];
    }

    @Benchmark
    public int decode() {
        byte[] p = nextPacket();
        return decoder.decode(p, 0, p.length, pcm, 0, frameSamples);
    }

    /** Decodes one packet and conceals the next: two frames per operation. */
    @Benchmark
    public int decodeThenConceal() {
        byte[] p = nextPacket();
        nextPacket();
        return decoder.decode(p, 0, p.length, pcm, 0, frameSamples) + decoder.conceal(pcm, 0, frameSamples);
    }

    private byte[] nextPacket() {
        byte[] p = packets[next];
        next = next + 1 == packets.length ? 0 : next + 1;
        return p;
    }
}
