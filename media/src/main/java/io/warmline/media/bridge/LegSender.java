package io.warmline.media.bridge;

import io.warmline.media.codec.G711;
import io.warmline.media.opus.FecController;
import io.warmline.media.opus.OpusCodecException;
import io.warmline.media.mix.MixGroup;
import io.warmline.media.mix.MixReader;
import io.warmline.media.opus.OpusVoiceEncoder;

/**
 * The send side of one {@link BridgeLeg}: the one codec it sends (RFC 3264 §6.1), the reader of its mix at the
 * encoder's input rate (whatever rate its mix group sums at), and the encoder. A change of encoding builds a new
 * one. Buffers are allocated here once; {@link #toPcmRate} and {@link #encode} allocate nothing. Confined to the bridge's event loop.
 */
final class LegSender {

    LegCodec codec;
    private final boolean opus;
    /** The mix this leg hears, at the encoder's input rate. */
    final MixReader reader;
    private final OpusVoiceEncoder encoder;
    /** Drives the encoder's in-band FEC from the far end's reported loss; null when FEC may not be used. */
    private final FecController fec;
    final byte[] payload;
    int payloadLength;
    long encodeErrors;
    long narrowFrames;

    LegSender(LegCodec codec) {
        this.codec = codec;
        this.opus = codec.encoding() == LegCodec.Encoding.OPUS;
        this.encoder = opus ? new OpusVoiceEncoder(codec.opus()) : null;
        if (opus && codec.opus().inbandFec()) {
            // useinbandfec=1 says the far end decodes FEC; we add it only once it reports loss
            fec = new FecController();
            encoder.setInbandFec(false);
            encoder.setExpectedLossPercent(0);
        } else {
            fec = null;
        }
        this.payload = new byte[opus ? OpusVoiceEncoder.MAX_PACKET_BYTES : LegReceiver.G711_FRAME];
        this.reader = new MixReader(codec.pcmRate());
    }

    /** The same encoder under another payload type of the same audio (a re-INVITE that renumbered them). */
    LegSender withCodec(LegCodec sameAudio) {
        codec = sameAudio;
        return this;
    }

    /** This tick's mix of {@code group} at the encoder's input rate, in the reader's array. */
    short[] toPcmRate(MixGroup group) {
        return reader.read(group);
    }

    int pcmFrame() {
        return reader.frameSamples();
    }

    /**
     * Encodes one frame at the encoder's rate into {@link #payload}.
     *
     * @param audioRate how wide the audio this leg hears is ({@link io.warmline.media.mix.MixGroup#audioRate()}):
     *     at 8000 an Opus leg codes narrowband with {@link io.warmline.media.opus.OpusConfig#narrowed()} (about 40 %
     *     cheaper than wideband), wider as configured
     * @return payload length; 0 when Opus DTX asks that nothing be sent; -1 when the encoder failed (counted)
     */
    int encode(short[] pcm, int audioRate) {
        int n;
        if (opus) {
            boolean narrow = audioRate <= 8000;
            encoder.narrow(narrow);
            if (narrow) {
                narrowFrames++;
            }
            try {
                n = encoder.encode(pcm, 0, payload, 0, payload.length);
            } catch (OpusCodecException e) {
                encodeErrors++;
                n = -1;
            }
        } else if (codec.encoding() == LegCodec.Encoding.PCMU) {
            G711.encodeUlaw(pcm, 0, LegReceiver.G711_FRAME, payload, 0);
            n = LegReceiver.G711_FRAME;
        } else {
            G711.encodeAlaw(pcm, 0, LegReceiver.G711_FRAME, payload, 0);
            n = LegReceiver.G711_FRAME;
        }
        payloadLength = n;
        return n;
    }

    /**
     * The far end's report on our stream (RFC 3550 §6.4.1 fraction lost, in 1/256): retunes the encoder's in-band FEC.
     */
    void onRemoteReport(int fractionLost, long now) {
        if (fec != null && fec.onReport(fractionLost, now)) {
            encoder.setInbandFec(fec.enabled());
            encoder.setExpectedLossPercent(fec.lossPercent());
        }
    }

    /** Whether the encoder adds in-band FEC now. */
    boolean fecEnabled() {
        return fec != null && fec.enabled();
    }

    /** The loss the encoder's FEC is sized for, 0 while off. */
    int fecLossPercent() {
        return fec == null ? 0 : fec.lossPercent();
    }

    /** Encoder settings that change the bytes besides the codec: legs differing here cannot share an encode. */
    int encoderState() {
        return fecEnabled() ? fec.lossPercent() : 0;
    }

    long dtxFrames() {
        return opus ? encoder.suppressedFrames() : 0;
    }
}
