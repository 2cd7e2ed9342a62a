package io.warmline.media.opus;

import io.github.jaredmdobson.concentus.OpusApplication;
import io.github.jaredmdobson.concentus.OpusBandwidth;
import io.github.jaredmdobson.concentus.OpusEncoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusSignal;
import java.util.Objects;

/**
 * Mono Opus voice encoder (Concentus, VOIP application, signal type voice) writing RFC 7587 payloads into a
 * caller-supplied buffer. Not thread-safe: one stream, one owner.
 */
public final class OpusVoiceEncoder {

    /** The largest payload one frame can need (RFC 6716 §3.2.1: 1275 bytes per frame, plus TOC and count). */
    public static final int MAX_PACKET_BYTES = 1277;
    /** With DTX on, the encoder marks silence by packets this short; they need not be sent (RFC 7587 §3.1.3). */
    private static final int DTX_PACKET_MAX = 2;

    private final OpusConfig config;
    private final OpusEncoder encoder;
    private final int frameSamples;
    private long suppressed;
    private boolean narrowed;

    public OpusVoiceEncoder(OpusConfig config) {
        this.config = Objects.requireNonNull(config);
        try {
            encoder = new OpusEncoder(config.sampleRate(), 1, OpusApplication.OPUS_APPLICATION_VOIP);
        } catch (OpusException e) {
            throw new OpusCodecException("cannot create an Opus encoder for " + config, e);
        }
        encoder.setSignalType(OpusSignal.OPUS_SIGNAL_VOICE);
        encoder.setBitrate(config.bitrate());
        encoder.setComplexity(config.complexity());
        encoder.setUseInbandFEC(config.inbandFec());
        encoder.setPacketLossPercent(config.expectedLossPercent());
        encoder.setUseDTX(config.dtx());
        encoder.setUseVBR(true);
        encoder.setMaxBandwidth(concentus(config.maxBandwidth()));
        frameSamples = config.frameSamples();
    }

    private static OpusBandwidth concentus(io.warmline.media.opus.OpusBandwidth bandwidth) {
        return switch (bandwidth) {
            case NARROWBAND -> OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND;
            case MEDIUMBAND -> OpusBandwidth.OPUS_BANDWIDTH_MEDIUMBAND;
            case WIDEBAND -> OpusBandwidth.OPUS_BANDWIDTH_WIDEBAND;
            case SUPERWIDEBAND -> OpusBandwidth.OPUS_BANDWIDTH_SUPERWIDEBAND;
            case FULLBAND -> OpusBandwidth.OPUS_BANDWIDTH_FULLBAND;
        };
    }

    /**
     * Switches between the configured settings and {@link OpusConfig#narrowed()} (narrowband, telephone bitrate)
     * within the same stream. The codec makes the transition itself without a click (each packet's TOC names its
     * band, RFC 6716 §3.1, so the band may change between packets): a wider band applies within a frame or two, a
     * narrower one after SILK's low-pass transition of about six seconds, which fades the upper band out first. Allocates only
     * when the setting changes.
     */
    public void narrow(boolean telephoneBand) {
        if (telephoneBand == narrowed) {
            return;
        }
        narrowed = telephoneBand;
        OpusConfig c = telephoneBand ? config.narrowed() : config;
        encoder.setBitrate(c.bitrate());
        encoder.setMaxBandwidth(concentus(c.maxBandwidth()));
    }

    /** Whether {@link #narrow} last asked for the telephone-band settings. */
    public boolean narrowed() {
        return narrowed;
    }

    public OpusConfig config() {
        return config;
    }

    /** PCM samples per frame at the configured rate. */
    public int frameSamples() {
        return frameSamples;
    }

    /** Encoder look-ahead in samples at the configured rate (part of the codec's algorithmic delay). */
    public int lookahead() {
        return encoder.getLookahead();
    }

    /**
     * Encodes one frame of {@link #frameSamples()} samples from {@code pcm} at {@code offset}.
     *
     * @return payload bytes written at {@code outOffset}, or 0 when DTX is on and the frame is silence, so that no
     *     packet should be sent
     * @throws OpusCodecException if {@code maxBytes} is too small for the packet
     */
    public int encode(short[] pcm, int offset, byte[] out, int outOffset, int maxBytes) {
        Objects.checkFromIndexSize(offset, frameSamples, pcm.length);
        Objects.checkFromIndexSize(outOffset, maxBytes, out.length);
        int written;
        try {
            written = encoder.encode(pcm, offset, frameSamples, out, outOffset, maxBytes);
        } catch (OpusException e) {
            throw new OpusCodecException("Opus encoding failed (" + maxBytes + " bytes available)", e);
        }
        if (config.dtx() && written <= DTX_PACKET_MAX) {
            suppressed++;
            return 0;
        }
        return written;
    }

    /** Back to the state of a new encoder with the current settings (a stream that starts again). */
    public void reset() {
        encoder.resetState();
    }

    /**
     * Codes one frame only to fill the encoder's look-ahead and analysis state; the packet is dropped and not
     * counted as DTX.
     */
    public void prime(short[] pcm, int offset) {
        Objects.checkFromIndexSize(offset, frameSamples, pcm.length);
        try {
            encoder.encode(pcm, offset, frameSamples, scratch, 0, scratch.length);
        } catch (OpusException e) {
            throw new OpusCodecException("Opus encoding failed while priming", e);
        }
    }

    private final byte[] scratch = new byte[MAX_PACKET_BYTES];

    /** Changes the target bitrate (for example, on receiver feedback). */
    public void setBitrate(int bitrate) {
        if (bitrate < 6000 || bitrate > 510000) {
            throw new IllegalArgumentException("bitrate must be 6000..510000: " + bitrate);
        }
        encoder.setBitrate(bitrate);
    }

    /**
     * Turns in-band FEC (LBRR, RFC 7587 §3.3) on or off from the next frame; only meaningful when the receiver
     * decodes it ({@code useinbandfec=1}). The encoder adds LBRR only while the expected loss is above 0.
     */
    public void setInbandFec(boolean enabled) {
        encoder.setUseInbandFEC(enabled);
    }

    /** Sizes the in-band FEC for the loss the receiver reports. */
    public void setExpectedLossPercent(int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("percent must be 0..100: " + percent);
        }
        encoder.setPacketLossPercent(percent);
    }

    /** Frames for which DTX asked that nothing be sent. */
    public long suppressedFrames() {
        return suppressed;
    }
}
