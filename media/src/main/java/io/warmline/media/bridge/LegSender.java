package io.warmline.media.bridge;

import io.warmline.media.codec.G711;
import io.warmline.media.opus.FecController;
import io.warmline.media.opus.OpusCodecException;
import io.warmline.media.mix.MixGroup;
import io.warmline.media.mix.MixReader;
import io.warmline.media.opus.OpusPackets;
import io.warmline.media.opus.OpusVoiceEncoder;
import io.warmline.media.resample.Resampler;

/**
 * The send side of one {@link BridgeLeg}: the one codec it sends (RFC 3264 §6.1), the reader of its mix at the
 * encoder's input rate (whatever rate its mix group sums at), and the encoder. An Opus leg fed at 16 kHz has a second
 * encoder fed at 8 kHz for the ticks its group sums at 8 kHz; the stream (RTP clock, sequence, timestamps) goes on
 * across the switch, and the encoder switched to is primed with the previous periods. A change of encoding builds a
 * new one. Buffers are allocated here once; {@link #toPcmRate} and {@link #encode} allocate nothing. Confined to the bridge's event loop.
 */
final class LegSender {

    LegCodec codec;
    private final boolean opus;
    /** The mix this leg hears, at the encoder's input rate. */
    final MixReader reader;
    private final OpusVoiceEncoder encoder;
    /**
     * For an Opus leg whose encoder input is 16 kHz: the same settings narrowed and fed at 8 kHz (at complexity 0,
     * {@link io.warmline.media.opus.OpusConfig#narrowedAt8kHz()}), used while the leg's
     * mix group sums at 8 kHz (no 8 to 16 kHz conversion here, no 16 to 8 kHz inside SILK); else null.
     */
    private final OpusVoiceEncoder narrowEncoder;
    /** The 8 kHz input: the group's frame delayed by {@link #ALIGN} samples, carried in {@link #line}. */
    private final short[] narrowFrame;
    private final short[] line;
    private final short[] wideFrame;
    /** The rate of the encoder that coded the last frame: 0 none yet, 8000 or 16000. */
    private int lastRate;
    /**
     * The last {@link #HISTORY} frames as fed (hook included), at {@link #lastRate}: a ring whose oldest frame is at
     * {@link #historyNext}, read in order only at a switch.
     */
    private final short[] history;
    private int historyNext;
    private int primeRate;
    private final short[] primeFrame;
    private final short[] spare;
    private final short[] converted;
    /** Converters for the priming at a switch, reset before each use. */
    private final Resampler up;
    private final Resampler down;
    private short[] frame;
    private int frameRate;
    /** Whether the 16 kHz encoder's last packet was narrowband (the 8 kHz one may then take over seamlessly). */
    private boolean wideCodedNarrow;
    /** Drives the encoder's in-band FEC from the far end's reported loss; null when FEC may not be used. */
    private final FecController fec;
    final byte[] payload;
    int payloadLength;
    long encodeErrors;
    long narrowFrames;
    /** Switches between the 16 and the 8 kHz encoder, each one reset and priming of the encoder switched to. */
    long encoderSwitches;

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
        if (opus && codec.pcmRate() == 16000) {
            narrowEncoder = new OpusVoiceEncoder(codec.opus().narrowedAt8kHz());
            narrowEncoder.setInbandFec(fec == null && codec.opus().inbandFec());
            narrowEncoder.setExpectedLossPercent(fec == null ? codec.opus().expectedLossPercent() : 0);
            narrowFrame = new short[160];
            line = new short[ALIGN];
            wideFrame = new short[320];
            primeFrame = new short[HISTORY * 320];
            history = new short[HISTORY * 320];
            spare = new short[(HISTORY + 1) * 320];
            converted = new short[(HISTORY + 1) * 320];
            up = new Resampler(8000, 16000);
            down = new Resampler(16000, 8000);
        } else {
            narrowEncoder = null;
            narrowFrame = line = wideFrame = primeFrame = history = spare = converted = null;
            up = down = null;
        }
    }

    /**
     * Frames a new 16 kHz encoder is primed with when it takes over from the 8 kHz one: an encoder that started
     * narrowband widens only after 40 to 75 frames, and a new encoder that codes wideband at once dips the decoded
     * level by 20 dB for 5 ms (the decoder changes band without the transition a running encoder codes). Primed
     * narrowband with 0.8 s of the stream it takes over without a dip and widens sooner (37 frames instead of 75 in
     * NarrowbandEncodeTest; a running encoder widens within two). Measured with Concentus 1.0.2. The priming costs
     * about 40 encodes once, in the tick of the switch.
     */
    static final int HISTORY = 40;
    /** Frames the 8 kHz encoder is primed with, narrowband to narrowband (unprimed, the level overshot by 6 dB). */
    private static final int NARROW_PRIME = 2;

    /**
     * The 8 kHz path's delay, in 8 kHz samples, so that both paths of a 16 kHz encoder's leg are equally late: a
     * group summed at 16 kHz carries its telephone-band sources through an 8 to 16 kHz converter, whose delay this
     * is (33.75 samples, rounded; a 31 µs mismatch). Without it the switch would jump 4 ms in time.
     */
    static final int ALIGN = (int) Math.round(new Resampler(8000, 16000).delayOutputSamples() / 2);
    private static final int UP_DELAY = (int) Math.round(new Resampler(8000, 16000).delayOutputSamples());

    /** The same encoder under another payload type of the same audio (a re-INVITE that renumbered them). */
    LegSender withCodec(LegCodec sameAudio) {
        codec = sameAudio;
        return this;
    }

    /**
     * This tick's mix of {@code group} at the input rate of the encoder that codes it this tick ({@link #pcmRate()}),
     * in an array owned by this sender.
     */
    short[] toPcmRate(MixGroup group) {
        primeRate = 0;
        if (narrowEncoder == null || (group.rate() != 8000 && group.rate() != 16000)) {
            frameRate = reader.rate();
            frame = reader.read(group);
            return frame;
        }
        if (group.rate() == 8000 && lastRate == 16000 && !wideCodedNarrow) {
            // the 16 kHz encoder narrows first, within its stream (SILK's low-pass transition, about six seconds); a
            // new narrowband encoder taking over a wideband stream dipped the decoded tone by 20 dB
            group.copyTo(narrowFrame, 0);
            System.arraycopy(narrowFrame, 160 - ALIGN, line, 0, ALIGN);
            frameRate = 16000;
            frame = reader.read(group);
            return frame;
        }
        if (group.rate() == 8000) {
            if (lastRate == 16000) {
                toNarrow(group);
            }
            group.copyTo(spare, 0);
            System.arraycopy(line, 0, narrowFrame, 0, ALIGN);
            System.arraycopy(spare, 0, narrowFrame, ALIGN, 160 - ALIGN);
            System.arraycopy(spare, 160 - ALIGN, line, 0, ALIGN);
            frameRate = 8000;
            frame = narrowFrame;
        } else {
            if (lastRate == 8000) {
                toWide();
            }
            group.copyTo(wideFrame, 0);
            frameRate = 16000;
            frame = wideFrame;
        }
        return frame;
    }

    /**
     * 8 to 16 kHz: the previous periods for the 16 kHz encoder are the last 8 kHz frames and the delay line after
     * them, converted up and read {@link #UP_DELAY} samples on, so that they line up with the group's 16 kHz
     * frames.
     */
    private void toWide() {
        historyInOrder(160, spare);
        System.arraycopy(line, 0, spare, HISTORY * 160, ALIGN);
        up.reset();
        up.process(spare, 0, HISTORY * 160 + ALIGN, converted, 0);
        System.arraycopy(converted, UP_DELAY, primeFrame, 0, HISTORY * 320);
        primeRate = 16000;
    }

    /**
     * 16 to 8 kHz: the last 16 kHz frames and this period read at 16 kHz, converted down and read {@link #ALIGN}
     * samples on; the previous periods prime the 8 kHz encoder and the delay line continues from this one.
     */
    private void toNarrow(MixGroup group) {
        int n = HISTORY * 320;
        historyInOrder(320, spare);
        System.arraycopy(reader.read(group), 0, spare, n, 320);
        down.reset();
        down.process(spare, 0, n + 320, converted, 0);
        System.arraycopy(converted, ALIGN, primeFrame, 0, HISTORY * 160);
        System.arraycopy(converted, HISTORY * 160 + ALIGN, line, 0, ALIGN);
        primeRate = 8000;
    }

    /** Copies the history, frames of {@code m} samples, oldest first into the start of {@code dst}. */
    private void historyInOrder(int m, short[] dst) {
        int older = (HISTORY - historyNext) * m;
        System.arraycopy(history, historyNext * m, dst, 0, older);
        System.arraycopy(history, 0, dst, older, historyNext * m);
    }

    int pcmFrame() {
        return frameRate / 1000 * LegCodec.FRAME_MILLIS;
    }

    /** The rate of the frame {@link #toPcmRate} returned this tick. */
    int pcmRate() {
        return frameRate;
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
            OpusVoiceEncoder enc = frameRate == 8000 && narrowEncoder != null ? narrowEncoder : encoder;
            boolean narrow = audioRate <= 8000 || enc == narrowEncoder;
            if (enc == encoder && primeRate == 0) {
                encoder.narrow(narrow);
            }
            if (narrow) {
                narrowFrames++;
            }
            try {
                if (primeRate != 0) {
                    encoderSwitches++;
                    // a clean start on the previous periods: its look-ahead and analysis then hold the stream's audio,
                    // and its first packet continues the decoded sound (unprimed, the level fell 11.5 dB)
                    int m = pcmFrame();
                    enc.reset();
                    int frames = enc == encoder ? HISTORY : NARROW_PRIME;
                    if (enc == encoder) {
                        // narrowband like the stream so far; it widens from the next tick (narrow(false) above)
                        encoder.narrow(true);
                    }
                    for (int k = HISTORY - frames; k < HISTORY; k++) {
                        enc.prime(primeFrame, k * m);
                    }
                }
                n = enc.encode(pcm, 0, payload, 0, payload.length);
                if (narrowEncoder != null) {
                    int m = pcmFrame();
                    if (lastRate != frameRate) {
                        // a switch (or the first frame): the previous periods are the primed ones, at the new rate
                        System.arraycopy(primeFrame, m, history, 0, (HISTORY - 1) * m);
                        historyNext = HISTORY - 1;
                    }
                    System.arraycopy(pcm, 0, history, historyNext * m, m);
                    historyNext = (historyNext + 1) % HISTORY;
                    lastRate = frameRate;
                    if (enc == encoder && n > 0) {
                        wideCodedNarrow = OpusPackets.audioRate(payload, 0, n) <= 8000;
                    }
                }
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
            if (narrowEncoder != null) {
                narrowEncoder.setInbandFec(fec.enabled());
                narrowEncoder.setExpectedLossPercent(fec.lossPercent());
            }
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
        return opus ? encoder.suppressedFrames() + (narrowEncoder == null ? 0 : narrowEncoder.suppressedFrames()) : 0;
    }
}
