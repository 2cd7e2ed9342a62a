package io.warmline.media.bridge;

import io.warmline.media.codec.G711;
import io.warmline.media.jitter.JitterBuffer;
import io.warmline.media.jitter.JitterBufferConfig;
import io.warmline.media.jitter.PlayoutFrame;
import io.warmline.media.opus.OpusPackets;
import io.warmline.media.opus.OpusVoiceDecoder;
import io.warmline.media.plc.G711Concealer;
import io.warmline.media.resample.Resampler;
import java.util.Arrays;

/**
 * The receive side of one {@link BridgeLeg} for one family of formats: G.711 (µ-law and A-law together) or Opus.
 * Jitter buffer, decoder with its concealment, resampler to the mix rate. A packet of the other family makes the leg
 * build a new receiver (RFC 3264 §6.1: the peer may send any format of the answer). Buffers are allocated here once;
 * {@link #offer}, {@link #pull} and {@link #skip} allocate nothing. Confined to the bridge's event loop.
 *
 * <p>G.711 packets of any multiple of 10 ms (carriers send 20 or 30 ms) are cut into 10 ms frames for the jitter
 * buffer, each numbered by its timestamp (G.711 has no DTX, so a timestamp gap is a loss) and tagged with its law, so
 * a peer that switches between PCMU and PCMA (same 8 kHz clock, same timeline) keeps one jitter buffer and each frame
 * is decoded by the law it arrived in. Two frames are played per tick, decoded at 8 kHz, concealed by
 * {@link G711Concealer} and resampled to the mix rate. Opus packets must carry 20 ms (as browsers and phones send);
 * they are decoded straight at the mix rate (the decoder's output rate is free, RFC 6716 §4), concealed or
 * FEC-recovered by the decoder.
 */
final class LegReceiver {

    static final int G711_FRAME = 160;
    /** G.711 jitter-buffer frames are 10 ms: the largest unit every common ptime (10, 20, 30, 40, 60) divides into. */
    static final int G711_CHUNK = 80;
    /** A G.711 jitter-buffer entry: the law tag, then the chunk. */
    private static final int G711_ENTRY = G711_CHUNK + 1;
    private static final byte ULAW = 0;
    private static final byte ALAW = 1;
    private static final long CHUNK_NANOS = 10_000_000L;
    /** Two seconds of 20 ms periods: more than either jitter buffer holds. */
    static final int MAX_SKIPPED_PULLS = 100;
    /**
     * 10 ms frames, target 20..200 ms, 100 frames (1 s), 60 ms concealed before falling back to silence. Both frames of
     * a 20 ms tick are taken at the tick, so the second is read 10 ms before it is heard: without that read-ahead in
     * the target, 30 ms packets (a common carrier ptime) ran the buffer dry every few ticks with nothing lost.
     */
    private static final JitterBufferConfig G711_JITTER = new JitterBufferConfig(8000, 10, 20, 200, 100, G711_ENTRY,
            6, 0.95, 10);

    final boolean opus;
    final JitterBuffer jitter;
    private final int mixFrame;

    private final G711Concealer concealer;
    private final short[] pcm8;
    private final byte[] entry;
    private final Resampler up;
    private final OpusVoiceDecoder decoder;
    private final short[] decodeBuffer;
    private final Resampler tapDown;
    private final short[] tap8;

    private boolean audible;
    /** The band of the Opus packets last decoded, as an audio rate ({@link OpusPackets#audioRate}); G.711: 8000. */
    int inboundAudioRate;
    long decoded;
    long concealed;
    long malformed;

    /** @param opus the Opus family (48 kHz RTP clock); otherwise G.711 (8 kHz) */
    LegReceiver(boolean opus, int mixRate) {
        this.opus = opus;
        this.jitter = new JitterBuffer(opus ? JitterBufferConfig.voice(48000) : G711_JITTER);
        this.mixFrame = mixRate / 1000 * LegCodec.FRAME_MILLIS;
        this.inboundAudioRate = opus ? mixRate : 8000;
        if (opus) {
            concealer = null;
            pcm8 = null;
            entry = null;
            up = null;
            decoder = new OpusVoiceDecoder(mixRate);
            decodeBuffer = new short[mixRate / 1000 * 120];
            tapDown = mixRate == 8000 ? null : new Resampler(mixRate, 8000);
            tap8 = new short[G711_FRAME];
        } else {
            concealer = new G711Concealer();
            pcm8 = new short[G711_FRAME];
            entry = new byte[G711_ENTRY];
            up = mixRate == 8000 ? null : new Resampler(8000, mixRate);
            decoder = null;
            decodeBuffer = null;
            tapDown = null;
            tap8 = null;
        }
    }

    /** Whether packets of {@code encoding} go to this receiver. */
    boolean accepts(LegCodec.Encoding encoding) {
        return opus == (encoding == LegCodec.Encoding.OPUS);
    }

    /** Takes one received packet's payload (RTP header fields given) in {@code encoding}, which it accepts. */
    void offer(LegCodec.Encoding encoding, int ssrc, int sequence, long timestamp, boolean marker, byte[] payload,
               int length, long now) {
        if (opus) {
            jitter.offer(ssrc, sequence, timestamp, marker, payload, 0, length, now);
            return;
        }
        int chunks = length / G711_CHUNK;
        if (chunks == 0 || length % G711_CHUNK != 0) {
            malformed++;
        }
        entry[0] = encoding == LegCodec.Encoding.PCMA ? ALAW : ULAW;
        for (int c = 0; c < chunks; c++) {
            long ts = (timestamp + (long) c * G711_CHUNK) & 0xFFFFFFFFL;
            System.arraycopy(payload, c * G711_CHUNK, entry, 1, G711_CHUNK);
            jitter.offer(ssrc, (int) (ts / G711_CHUNK), ts, marker && c == 0, entry, 0, G711_ENTRY, now);
        }
    }

    /**
     * Plays one 20 ms period out of the jitter buffer into {@code mix} (one frame at the mix rate).
     *
     * @return whether the frame is audio to mix (false: silence, nothing to contribute)
     */
    boolean pull(long now, short[] mix) {
        boolean heard;
        if (opus) {
            PlayoutFrame f = jitter.poll(now);
            heard = f.kind() != PlayoutFrame.Kind.SILENCE;
            pullOpus(f, mix);
        } else {
            heard = pullG711(now, mix);
        }
        boolean contribute = heard || audible;
        audible = heard;
        return contribute;
    }

    /**
     * The periods of ticks skipped after a stall, starting at {@code firstDeadline}: the jitter buffer plays them out
     * unheard (nothing is decoded), so its delay does not grow by the length of every stall. At most
     * {@value #MAX_SKIPPED_PULLS} periods: more would only poll an empty buffer.
     */
    void skip(long firstDeadline, long periods) {
        long n = Math.min(periods, MAX_SKIPPED_PULLS);
        for (long k = 0; k < n; k++) {
            long t = firstDeadline + k * 2 * CHUNK_NANOS;
            jitter.poll(t);
            if (!opus) {
                jitter.poll(t + CHUNK_NANOS);
            }
        }
    }

    private boolean pullG711(long now, short[] mix) {
        boolean heard = false;
        for (int off = 0; off < G711_FRAME; off += G711_CHUNK) {
            PlayoutFrame f = jitter.poll(now + off / G711_CHUNK * CHUNK_NANOS);
            switch (f.kind()) {
                case AUDIO -> {
                    byte[] e = f.payload();
                    if (e[0] == ALAW) {
                        G711.decodeAlaw(e, 1, G711_CHUNK, pcm8, off);
                    } else {
                        G711.decodeUlaw(e, 1, G711_CHUNK, pcm8, off);
                    }
                    concealer.good(pcm8, off, pcm8, off, G711_CHUNK);
                    decoded++;
                    heard = true;
                }
                case MISSING -> {
                    concealer.lost(pcm8, off, G711_CHUNK);
                    concealed++;
                    heard = true;
                }
                case SILENCE -> {
                    // the concealer delays its output by 3.75 ms: silence pushes the last audio out
                    Arrays.fill(pcm8, off, off + G711_CHUNK, (short) 0);
                    concealer.good(pcm8, off, pcm8, off, G711_CHUNK);
                }
            }
        }
        if (up == null) {
            System.arraycopy(pcm8, 0, mix, 0, G711_FRAME);
        } else {
            up.process(pcm8, 0, G711_FRAME, mix, 0);
        }
        return heard;
    }

    private void pullOpus(PlayoutFrame f, short[] mix) {
        switch (f.kind()) {
            case AUDIO -> {
                int band = OpusPackets.audioRate(f.payload(), 0, f.payloadLength());
                if (band > 0) {
                    inboundAudioRate = band;
                }
                int n = decoder.decode(f.payload(), 0, f.payloadLength(), decodeBuffer, 0, mixFrame);
                if (n != mixFrame) {
                    malformed++;
                }
                int copy = Math.min(n, mixFrame);
                System.arraycopy(decodeBuffer, 0, mix, 0, copy);
                Arrays.fill(mix, copy, mixFrame, (short) 0);
            }
            case MISSING -> {
                // RFC 7587 §3.3: the next packet's LBRR data rebuilds the lost one when it is already here
                if (f.hasNext()) {
                    decoder.recover(f.nextPayload(), 0, f.nextPayloadLength(), mix, 0, mixFrame);
                } else {
                    decoder.conceal(mix, 0, mixFrame);
                }
            }
            case SILENCE -> Arrays.fill(mix, 0, mixFrame, (short) 0);
        }
    }

    /** The last pulled frame at 8 kHz, for taps: {@code mix} is the frame {@link #pull} wrote. */
    short[] tapFrame(short[] mix) {
        if (!opus) {
            return pcm8;
        }
        if (tapDown == null) {
            return mix;
        }
        tapDown.process(mix, 0, mixFrame, tap8, 0);
        return tap8;
    }

    /** Clears the tap resampler's history (taps were off: its last input is stale). */
    void resetTap() {
        if (tapDown != null) {
            tapDown.reset();
        }
    }

    long decodedFrames() {
        return opus ? decoder.decodedPackets() : decoded;
    }

    long concealedFrames() {
        return opus ? decoder.concealedPackets() : concealed;
    }

    long recoveredFrames() {
        return opus ? decoder.recoveredPackets() : 0;
    }
}
