package io.warmline.media.bridge;

import io.warmline.media.codec.G711;
import io.warmline.media.jitter.JitterBuffer;
import io.warmline.media.jitter.JitterBufferConfig;
import io.warmline.media.jitter.PlayoutFrame;
import io.warmline.media.opus.OpusPackets;
import io.warmline.media.opus.OpusVoiceDecoder;
import io.warmline.media.opus.OpusVoiceEncoder;
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
 * {@link G711Concealer} and handed to the mixer at 8 kHz. Opus packets must carry 20 ms (as browsers and phones
 * send); they are decoded at the widest rate a mix group heard the leg at in the last tick (8 kHz when only G.711
 * legs hear it; the decoder's output rate is free, RFC 6716 §4), concealed or FEC-recovered by the decoder. A change
 * of that rate moves to a new decoder brought to the stream's state by replaying the last playout events
 * ({@link OpusDecodePath}).
 */
final class LegReceiver {

    static final int G711_FRAME = 160;
    /** Playout events replayed into a new Opus decoder. */
    static final int HISTORY = 8;
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
     * Received audio decoded for the taps per {@link #pull} or {@link #skip} although playout skips it, in 8 kHz
     * samples: one second, what either jitter buffer holds (100 G.711 chunks of 10 ms, 50 Opus packets of 20 ms), so
     * one tick after a stall decodes at most 50 Opus packets; older audio than that is gone from the buffer anyway.
     */
    static final int MAX_CATCH_UP_SAMPLES = 8000;
    /**
     * 10 ms frames, target 20..200 ms, 100 frames (1 s), 60 ms concealed before falling back to silence. Both frames of
     * a 20 ms tick are taken at the tick, so the second is read 10 ms before it is heard: without that read-ahead in
     * the target, 30 ms packets (a common carrier ptime) ran the buffer dry every few ticks with nothing lost.
     */
    private static final JitterBufferConfig G711_JITTER = new JitterBufferConfig(8000, 10, 20, 200, 100, G711_ENTRY,
            6, 0.95, 10);

    final boolean opus;
    final JitterBuffer jitter;
    private final int mixRate;

    private final G711Concealer concealer;
    private final short[] pcm8;
    private final byte[] entry;
    /** The G.711 stream's first RTP timestamp (per SSRC), from which its 10 ms chunks are numbered. */
    private boolean chunkOriginSet;
    private int chunkOriginSsrc;
    private long chunkOrigin;
    private OpusDecodePath path;
    private final short[] replayScratch;
    /** Whether the last Opus packet had a CELT layer (it is decoded at 48 kHz then). */
    private boolean celt;
    private Resampler tapDown;
    private final short[] tap8;
    /** The rate of the frame the last {@link #pull} wrote: 8000 for G.711, the decoder's rate for Opus. */
    int frameRate;
    /** In a tick that changed the decoder's rate: the same period from the old decoder, at {@link #oldRate}. */
    final short[] oldFrame;
    int oldRate;
    boolean switched;
    /** The last two playout events, replayed into a new decoder so that it starts from the stream's state. */
    private final byte[][] history;
    private final int[] historyLength = new int[HISTORY];
    private int historyCount;
    private long decodedBefore;
    private long concealedBefore;
    private long recoveredBefore;
    long decoderSwitches;

    /** Fed the received frames playout skips (taps registered), else null: nothing extra is decoded. */
    private PcmTap catchUp;
    private int catchUpBudget;
    private final short[] catchUpPcm = new short[G711_FRAME];
    private int catchUpFill;
    private long catchUpDue;
    private final short[] catchUpFrame;
    /** Received frames playout skipped and the taps saw; and those over {@link #MAX_CATCH_UP_SAMPLES} they did not. */
    long catchUpFrames;
    long catchUpOverBudget;

    /** Samples of the last pulled frame the taps get: a period inserted only to grow the delay is left out. */
    int tapLength = G711_FRAME;
    private final short[] tapPcm = new short[G711_FRAME];

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
        this.mixRate = mixRate;
        this.inboundAudioRate = opus ? mixRate : 8000;
        this.frameRate = 8000;
        if (opus) {
            concealer = null;
            pcm8 = null;
            entry = null;
            path = new OpusDecodePath(8000, 8000);
            replayScratch = new short[mixRate / 1000 * LegCodec.FRAME_MILLIS];
            tap8 = new short[G711_FRAME];
            oldFrame = new short[mixRate / 1000 * LegCodec.FRAME_MILLIS];
            history = new byte[HISTORY][OpusVoiceEncoder.MAX_PACKET_BYTES];
            catchUpFrame = new short[mixRate / 1000 * LegCodec.FRAME_MILLIS];
        } else {
            concealer = new G711Concealer();
            pcm8 = new short[G711_FRAME];
            entry = new byte[G711_ENTRY];
            path = null;
            replayScratch = null;
            tap8 = null;
            oldFrame = null;
            history = null;
            catchUpFrame = null;
        }
    }

    /**
     * Hands {@code tap} the received frames playout skips to catch up after a stall (discarded by the jitter
     * buffer, or played out unheard for a skipped tick), decoded in sequence order at 8 kHz with their own due time,
     * before the tick's own frame; null stops it (and the extra decoding). Concealment for skipped periods is not
     * fed: it is not received audio, and a concealed tone would lengthen a key.
     */
    void catchUpTap(PcmTap tap) {
        catchUp = tap;
        catchUpFill = 0;
        jitter.setDropListener(tap == null ? null : this::onDropped);
    }

    private void onDropped(long timestamp, byte[] payload, int length, long dueNanos) {
        catchUpDecode(payload, length, dueNanos);
    }

    private void catchUpDecode(byte[] payload, int length, long dueNanos) {
        int samples = opus ? G711_FRAME : G711_CHUNK;
        if (catchUpBudget < samples) {
            catchUpOverBudget++;
            return;
        }
        catchUpBudget -= samples;
        catchUpFrames++;
        if (opus) {
            path.decodeSkipped(payload, length, catchUpFrame);
            rememberPacket(payload, length);
            catchUp.onFrame(to8k(catchUpFrame), 0, G711_FRAME, dueNanos);
            return;
        }
        if (length != G711_ENTRY) {
            return;
        }
        if (catchUpFill == 0) {
            catchUpDue = dueNanos;
        }
        if (payload[0] == ALAW) {
            G711.decodeAlaw(payload, 1, G711_CHUNK, catchUpPcm, catchUpFill);
        } else {
            G711.decodeUlaw(payload, 1, G711_CHUNK, catchUpPcm, catchUpFill);
        }
        catchUpFill += G711_CHUNK;
        if (catchUpFill == G711_FRAME) {
            flushCatchUp();
        }
    }

    /** A G.711 10 ms chunk left over goes out alone (80 samples) rather than padded: padding would cut a tone. */
    private void flushCatchUp() {
        if (catchUpFill > 0) {
            int n = catchUpFill;
            catchUpFill = 0;
            catchUp.onFrame(catchUpPcm, 0, n, catchUpDue);
        }
    }

    /**
     * The rate to decode Opus at from the next pull: the widest rate any mix group hears this leg at (0 when nobody
     * hears it: 8 kHz, the cheapest), at most the mix rate. G.711 ignores it (always 8 kHz).
     */
    void decodeAt(int heardAtRate) {
        wantRate = heardAtRate == 0 ? 8000 : Math.min(heardAtRate, mixRate);
    }

    private int wantRate = 8000;

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
        if (!chunkOriginSet || ssrc != chunkOriginSsrc) {
            chunkOriginSet = true;
            chunkOriginSsrc = ssrc;
            chunkOrigin = timestamp;
        }
        for (int c = 0; c < chunks; c++) {
            long ts = (timestamp + (long) c * G711_CHUNK) & 0xFFFFFFFFL;
            System.arraycopy(payload, c * G711_CHUNK, entry, 1, G711_CHUNK);
            jitter.offer(ssrc, chunkNumber(ts), ts, marker && c == 0, entry, 0, G711_ENTRY, now);
        }
    }

    /**
     * The jitter buffer's sequence number of the 10 ms chunk at RTP timestamp {@code ts}: chunks counted from the
     * stream's first timestamp by the signed 32-bit distance, so the count runs on where the timestamp wraps
     * (RFC 3550 §5.1). Counting {@code ts / 80} instead jumped there (2^32 is not a multiple of 80), and the buffer
     * restarted its timeline and flushed what it held.
     */
    private int chunkNumber(long ts) {
        return Math.floorDiv((int) (ts - chunkOrigin), G711_CHUNK);
    }

    /**
     * Plays one 20 ms period out of the jitter buffer into {@code mix} (one frame at the mix rate).
     *
     * @return whether the frame is audio to mix (false: silence, nothing to contribute)
     */
    boolean pull(long now, short[] mix) {
        boolean heard;
        switched = false;
        catchUpBudget = MAX_CATCH_UP_SAMPLES;
        if (opus) {
            PlayoutFrame f = jitter.poll(now);
            heard = f.kind() != PlayoutFrame.Kind.SILENCE;
            if (f.kind() == PlayoutFrame.Kind.AUDIO) {
                celt = OpusDecodePath.hasCelt(f.payload(), f.payloadLength());
                int band = OpusPackets.audioRate(f.payload(), 0, f.payloadLength());
                if (band > 0) {
                    inboundAudioRate = band;
                }
            }
            int decodeRate = celt ? 48000 : wantRate;
            if (wantRate != path.outRate || decodeRate != path.decodeRate()) {
                switchDecoder(f, decodeRate);
            }
            path.play(f, mix);
            remember(f);
            tapLength = f.kind() == PlayoutFrame.Kind.MISSING && f.stretchedOnly() ? 0 : G711_FRAME;
        } else {
            heard = pullG711(now, mix);
        }
        if (catchUp != null) {
            flushCatchUp();
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
        catchUpBudget = MAX_CATCH_UP_SAMPLES;
        for (long k = 0; k < n; k++) {
            long t = firstDeadline + k * 2 * CHUNK_NANOS;
            skipped(jitter.poll(t), t);
            if (!opus) {
                skipped(jitter.poll(t + CHUNK_NANOS), t + CHUNK_NANOS);
            }
        }
        if (catchUp != null) {
            flushCatchUp();
        }
    }

    private void skipped(PlayoutFrame f, long due) {
        if (catchUp != null && f.kind() == PlayoutFrame.Kind.AUDIO) {
            catchUpDecode(f.payload(), f.payloadLength(), due);
        }
    }

    private boolean pullG711(long now, short[] mix) {
        boolean heard = false;
        int stretchedAt = -1;
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
                    if (f.stretchedOnly()) {
                        stretchedAt = off;
                    }
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
        System.arraycopy(pcm8, 0, mix, 0, G711_FRAME);
        tapLength = G711_FRAME;
        if (stretchedAt >= 0) {
            int keep = stretchedAt == 0 ? G711_CHUNK : 0;
            System.arraycopy(pcm8, keep, tapPcm, 0, G711_CHUNK);
            tapLength = G711_CHUNK;
        }
        return heard;
    }

    /**
     * Moves to a decoder at {@code decodeRate} handing frames on at {@link #wantRate} (the output rate of a Concentus
     * decoder is fixed at construction). The new one is first fed the last two playout events (packets decoded,
     * losses concealed, output dropped), which leaves its SILK/CELT state, gains and concealment history, and its
     * converter's history, where the old one's are; then this period is played by both, so the mixer can crossfade
     * from the old frame to the new one ({@link #switched}).
     */
    private void switchDecoder(PlayoutFrame f, int decodeRate) {
        OpusDecodePath old = path;
        OpusDecodePath next = new OpusDecodePath(decodeRate, wantRate);
        for (int k = 0; k < historyCount; k++) {
            int i = (historyNext + k) % HISTORY;
            next.replay(history[i], historyLength[i], replayScratch);
        }
        // counted up to here: the period played by both counts once, with the new decoder
        OpusVoiceDecoder d = old.decoder;
        decodedBefore += d.decodedPackets() - decodedOffset;
        concealedBefore += d.concealedPackets() - concealedOffset;
        recoveredBefore += d.recoveredPackets() - recoveredOffset;
        if (f.kind() != PlayoutFrame.Kind.SILENCE) {
            old.play(f, oldFrame);
            oldRate = old.outRate;
            switched = true;
        }
        malformed += old.malformed;
        OpusVoiceDecoder nd = next.decoder;
        decodedOffset = nd.decodedPackets();
        concealedOffset = nd.concealedPackets();
        recoveredOffset = nd.recoveredPackets();
        path = next;
        frameRate = wantRate;
        decoderSwitches++;
        tapDown = null;
    }

    private long decodedOffset;
    private long concealedOffset;
    private long recoveredOffset;
    private int historyNext;

    /** Keeps a packet decoded for the taps for a later decoder switch: the decoder's state includes it. */
    private void rememberPacket(byte[] payload, int length) {
        keep(nextHistorySlot(), payload, length);
    }

    /** A payload too long for its slot is kept as a loss (length 0): the replay conceals it. */
    private void keep(int slot, byte[] payload, int length) {
        if (length <= history[slot].length) {
            System.arraycopy(payload, 0, history[slot], 0, length);
            historyLength[slot] = length;
        } else {
            historyLength[slot] = 0;
        }
    }

    private int nextHistorySlot() {
        int i = (historyNext + historyCount) % HISTORY;
        if (historyCount == HISTORY) {
            i = historyNext;
            historyNext = (historyNext + 1) % HISTORY;
        } else {
            historyCount++;
        }
        return i;
    }

    /** Keeps this playout event for a later decoder switch (silence leaves the decoder untouched: not kept). */
    private void remember(PlayoutFrame f) {
        if (f.kind() == PlayoutFrame.Kind.SILENCE) {
            return;
        }
        int i = nextHistorySlot();
        if (f.kind() == PlayoutFrame.Kind.AUDIO) {
            keep(i, f.payload(), f.payloadLength());
        } else {
            historyLength[i] = 0;
        }
    }

    /** The last pulled frame at 8 kHz, for taps: {@code mix} is the frame {@link #pull} wrote. */
    short[] tapFrame(short[] mix) {
        if (!opus) {
            return tapLength == G711_FRAME ? pcm8 : tapPcm;
        }
        return tapLength == 0 ? tap8 : to8k(mix);
    }

    /** An Opus frame at {@link #frameRate}, at 8 kHz (through the taps' resampler: frames in sequence order). */
    private short[] to8k(short[] mix) {
        if (frameRate == 8000) {
            return mix;
        }
        if (tapDown == null) {
            tapDown = new Resampler(frameRate, 8000);
        }
        tapDown.process(mix, 0, frameRate / 1000 * LegCodec.FRAME_MILLIS, tap8, 0);
        return tap8;
    }

    /** Clears the tap resampler's history (taps were off: its last input is stale). */
    void resetTap() {
        if (tapDown != null) {
            tapDown.reset();
        }
    }

    long decodedFrames() {
        return opus ? decodedBefore + path.decoder.decodedPackets() - decodedOffset : decoded;
    }

    long concealedFrames() {
        return opus ? concealedBefore + path.decoder.concealedPackets() - concealedOffset : concealed;
    }

    long malformedFrames() {
        return opus ? malformed + path.malformed : malformed;
    }

    long recoveredFrames() {
        return opus ? recoveredBefore + path.decoder.recoveredPackets() - recoveredOffset : 0;
    }

}
