package io.warmline.media.bridge;

import io.warmline.media.jitter.PlayoutFrame;
import io.warmline.media.opus.OpusVoiceDecoder;
import io.warmline.media.resample.Resampler;
import java.util.Arrays;

/**
 * One Opus decoder of a {@link LegReceiver} and the rate its frames are handed on at. SILK-only packets are decoded
 * straight at that rate (the decoder's output rate is free, RFC 6716 §4). Packets with a CELT layer (hybrid or CELT
 * mode, TOC configurations 12–31) are decoded at 48 kHz and converted: Concentus' CELT decoder gives silence at a
 * lower output rate (measured: 8, 12 and 16 kHz). Allocates at construction only. Confined to the bridge's loop.
 */
final class OpusDecodePath {

    final OpusVoiceDecoder decoder;
    final int outRate;
    private final Resampler converter;
    private final short[] decoded;
    long malformed;

    OpusDecodePath(int decodeRate, int outRate) {
        this.decoder = new OpusVoiceDecoder(decodeRate);
        this.outRate = outRate;
        this.converter = decodeRate == outRate ? null : new Resampler(decodeRate, outRate);
        this.decoded = new short[decodeRate / 1000 * 120];
    }

    int decodeRate() {
        return decoder.sampleRate();
    }

    /** Whether an Opus packet's TOC byte names a mode with a CELT layer (RFC 6716 §3.1: configurations 12–31). */
    static boolean hasCelt(byte[] packet, int length) {
        return length > 0 && ((packet[0] & 0xFF) >> 3) >= 12;
    }

    /** Plays one 20 ms period into {@code out} at {@link #outRate}. */
    void play(PlayoutFrame f, short[] out) {
        int frame = decoder.sampleRate() / 1000 * LegCodec.FRAME_MILLIS;
        short[] into = converter == null ? out : decoded;
        switch (f.kind()) {
            case AUDIO -> {
                int n = decoder.decode(f.payload(), 0, f.payloadLength(), decoded, 0, frame);
                if (n != frame) {
                    malformed++;
                }
                int copy = Math.min(n, frame);
                if (into != decoded) {
                    System.arraycopy(decoded, 0, into, 0, copy);
                }
                Arrays.fill(into, copy, frame, (short) 0);
            }
            case MISSING -> {
                // RFC 7587 §3.3: the next packet's LBRR data rebuilds the lost one when it is already here
                if (f.hasNext()) {
                    decoder.recover(f.nextPayload(), 0, f.nextPayloadLength(), into, 0, frame);
                } else {
                    decoder.conceal(into, 0, frame);
                }
            }
            case SILENCE -> Arrays.fill(into, 0, frame, (short) 0);
        }
        if (converter != null) {
            converter.process(decoded, 0, frame, out, 0);
        }
    }

    /**
     * Decodes one received packet the playout skipped into {@code out} at {@link #outRate}, keeping the decoder's
     * state in sequence (the next played packet follows it as it did on the wire).
     */
    void decodeSkipped(byte[] packet, int length, short[] out) {
        int frame = decoder.sampleRate() / 1000 * LegCodec.FRAME_MILLIS;
        short[] into = converter == null ? out : decoded;
        int n = decoder.decode(packet, 0, length, decoded, 0, frame);
        if (n != frame) {
            malformed++;
        }
        int copy = Math.max(0, Math.min(n, frame));
        if (into != decoded) {
            System.arraycopy(decoded, 0, into, 0, copy);
        }
        Arrays.fill(into, copy, frame, (short) 0);
        if (converter != null) {
            converter.process(decoded, 0, frame, out, 0);
        }
    }

    /** Replays a packet (or, with {@code length} 0, a loss) to bring a new decoder to the stream's state. */
    void replay(byte[] packet, int length, short[] scratch) {
        int frame = decoder.sampleRate() / 1000 * LegCodec.FRAME_MILLIS;
        if (length > 0) {
            decoder.decode(packet, 0, length, decoded, 0, frame);
        } else {
            decoder.conceal(decoded, 0, frame);
        }
        if (converter != null) {
            converter.process(decoded, 0, frame, scratch, 0);
        }
    }
}
