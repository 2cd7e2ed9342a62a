package io.warmline.media.bench;

import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceDecoder;
import io.warmline.media.opus.OpusVoiceEncoder;
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
 * The chosen Opus profiles on the speech they are meant for, one 20 ms frame per operation: {@code telephoneBand}
 * ({@link OpusConfig#telephoneBand()}) on the PSTN recording, {@code wideband} ({@link OpusConfig#wideband()}) on
 * espeak-ng speech at 16 kHz, and for comparison {@code voice48k} ({@link OpusConfig#voice(int)} at 48 kHz, what a
 * leg gets without a deliberate choice) on the same PSTN recording; {@code narrowed} is the wideband encoder of a
 * browser leg that hears only telephone-band audio ({@link OpusVoiceEncoder#narrow}: 16 kHz input, narrowband SILK,
 * 20 kbit/s) on the PSTN recording at 16 kHz, as the bridge feeds it. {@code fec=off} is the profile without in-band
 * FEC, {@code fec=20} with FEC sized for 20 % loss, {@code dtx=off} without DTX. {@code roundTrip} encodes and
 * decodes the frame (decoder at the encoder's rate).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpusProfileBenchmark {

    @Param({"telephoneBand", "wideband", "narrowed", "voice48k"})
    String profile;

    /** as-is, fec=off (what a bridge leg encodes while the far end reports no loss), fec=20 (FEC sized for 20 %,
     * the most {@code FecController} asks for) or dtx=off */
    @Param({"as-is"})
    String variant;

    private OpusVoiceEncoder encoder;
    private OpusVoiceDecoder decoder;
    private FrameLoop input;
    private final byte[] packet = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
    private short[] output;

    @Setup
    public void setUp() {
        OpusConfig config = switch (profile) {
            case "telephoneBand" -> OpusConfig.telephoneBand();
            case "wideband", "narrowed" -> OpusConfig.wideband();
            case "voice48k" -> OpusConfig.voice(48000);
            default -> throw new IllegalArgumentException(profile);
        };
        config = switch (variant) {
            case "as-is" -> config;
            case "fec=off" -> new OpusConfig(config.sampleRate(), config.frameMillis(), config.bitrate(),
                    config.complexity(), false, 0, config.dtx(), config.maxBandwidth());
            case "fec=20" -> new OpusConfig(config.sampleRate(), config.frameMillis(), config.bitrate(),
                    config.complexity(), true, 20, config.dtx(), config.maxBandwidth());
            case "dtx=off" -> new OpusConfig(config.sampleRate(), config.frameMillis(), config.bitrate(),
                    config.complexity(), config.inbandFec(), config.expectedLossPercent(), false,
                    config.maxBandwidth());
            default -> throw new IllegalArgumentException(variant);
        };
        encoder = new OpusVoiceEncoder(config);
        if (profile.equals("narrowed")) {
            encoder.narrow(true);
        }
        decoder = new OpusVoiceDecoder(config.sampleRate());
        output = new short[config.frameSamples()];
        input = new FrameLoop(BenchSignals.of(profile.equals("wideband") ? "tts" : "pstn", config.sampleRate()),
                config.frameSamples());
    }

    @Benchmark
    public int encode() {
        return encoder.encode(input.samples(), input.next(), packet, 0, packet.length);
    }

    /** A DTX-suppressed frame is decoded as a loss, as a receiver that got no packet would. */
    @Benchmark
    public int roundTrip() {
        int length = encoder.encode(input.samples(), input.next(), packet, 0, packet.length);
        return length == 0 ? decoder.conceal(output, 0, output.length)
                : decoder.decode(packet, 0, length, output, 0, output.length);
    }
}
