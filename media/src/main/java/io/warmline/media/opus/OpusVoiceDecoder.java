package io.warmline.media.opus;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import java.util.Objects;

/**
 * Mono Opus decoder (Concentus) writing PCM into caller-supplied buffers, with the codec's own concealment for lost
 * packets and recovery from in-band FEC (RFC 7587 §3.3). Decoding never throws on packet content: a malformed packet
 * is counted and concealed. Not thread-safe: one stream, one owner.
 */
public final class OpusVoiceDecoder {

    private final int sampleRate;
    private final int maxSamples;
    private final OpusDecoder decoder;
    private long decoded;
    private long concealed;
    private long recovered;
    private long malformed;

    /** @param sampleRate output rate: 8000, 12000, 16000, 24000 or 48000 (any rate decodes any packet) */
    public OpusVoiceDecoder(int sampleRate) {
        if (!OpusConfig.validRate(sampleRate)) {
            throw new IllegalArgumentException("unsupported sample rate " + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.maxSamples = OpusPackets.MAX_SAMPLES_48K / (48000 / sampleRate);
        try {
            decoder = new OpusDecoder(sampleRate, 1);
        } catch (OpusException e) {
            throw new OpusCodecException("cannot create an Opus decoder at " + sampleRate + " Hz", e);
        }
    }

    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Decodes one packet into {@code out} at {@code outOffset}, which must have room for the packet's duration
     * ({@link OpusPackets#samples}; 120 ms at most). A malformed packet, or one too long for the room left, is counted
     * and replaced by {@code fallbackSamples} of concealment.
     *
     * @return samples written
     */
    public int decode(byte[] packet, int offset, int length, short[] out, int outOffset, int fallbackSamples) {
        int room = Math.min(out.length - outOffset, maxSamples);
        int samples = OpusPackets.samples(packet, offset, length, sampleRate);
        if (samples < 0 || samples > room) {
            malformed++;
            return conceal(out, outOffset, fallbackSamples);
        }
        try {
            int n = decoder.decode(packet, offset, length, out, outOffset, samples, false);
            decoded++;
            return n;
        } catch (OpusException | RuntimeException e) {
            malformed++;
            return conceal(out, outOffset, fallbackSamples);
        }
    }

    /**
     * Fills {@code samples} (a multiple of 2.5 ms) of a lost packet from the decoder's own concealment (RFC 6716
     * §4.4), which fades out over consecutive losses.
     */
    public int conceal(short[] out, int outOffset, int samples) {
        checkLossLength(out, outOffset, samples);
        try {
            int n = decoder.decode(null, 0, 0, out, outOffset, samples, false);
            concealed++;
            return n;
        } catch (OpusException e) {
            throw new OpusCodecException("Opus concealment failed for " + samples + " samples", e);
        }
    }

    /**
     * Rebuilds the {@code samples} lost just before {@code nextPacket} from the FEC data that packet carries; falls
     * back to {@link #conceal} when it carries none or is malformed. Decode {@code nextPacket} itself afterwards as
     * usual.
     */
    public int recover(byte[] nextPacket, int offset, int length, short[] out, int outOffset, int samples) {
        checkLossLength(out, outOffset, samples);
        if (OpusPackets.samples(nextPacket, offset, length, sampleRate) < 0) {
            malformed++;
            return conceal(out, outOffset, samples);
        }
        try {
            int n = decoder.decode(nextPacket, offset, length, out, outOffset, samples, true);
            recovered++;
            return n;
        } catch (OpusException | RuntimeException e) {
            malformed++;
            return conceal(out, outOffset, samples);
        }
    }

    public long decodedPackets() {
        return decoded;
    }

    public long concealedPackets() {
        return concealed;
    }

    public long recoveredPackets() {
        return recovered;
    }

    public long malformedPackets() {
        return malformed;
    }

    private void checkLossLength(short[] out, int outOffset, int samples) {
        Objects.checkFromIndexSize(outOffset, samples, out.length);
        int quantum = sampleRate / 400;
        if (samples <= 0 || samples % quantum != 0 || samples > maxSamples) {
            throw new IllegalArgumentException("loss length must be a positive multiple of 2.5 ms up to 120 ms: "
                    + samples);
        }
    }
}
