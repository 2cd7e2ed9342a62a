package io.warmline.media.mix;

import io.warmline.media.resample.Resampler;

/**
 * Reads one listener's mix at a fixed rate (an encoder's input rate, a recorder's rate) whatever rate its
 * {@link MixGroup} sums at: the group's frame as is when the rates agree, else through a converter of its own whose
 * history carries over from tick to tick. In a tick where the group changed its rate ({@link MixGroup#switching()})
 * it converts the period both the old way and the new way and crossfades over the frame, so that the change of the
 * conversion's delay (a few milliseconds) does not click. Allocates only the first time it meets a rate. Not
 * thread-safe: one listener, on the mixer's thread.
 */
public final class MixReader {

    private final int rate;
    private final short[] out;
    private final short[] old;
    /** Converters from 8, 16 and 48 kHz, made on first use. */
    private final Resampler[] converters = new Resampler[3];
    /** The mixer tick each converter last ran in. */
    private final long[] ranAt = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};

    /** @param rate the rate to read at: 8000, 16000 or 48000 */
    public MixReader(int rate) {
        if (rate != 8000 && rate != 16000 && rate != 48000) {
            throw new IllegalArgumentException("rate must be 8000, 16000 or 48000: " + rate);
        }
        this.rate = rate;
        this.out = new short[rate / 1000 * Mixer.FRAME_MILLIS];
        this.old = new short[out.length];
    }

    public int rate() {
        return rate;
    }

    public int frameSamples() {
        return out.length;
    }

    /**
     * This tick's mix of {@code group} at {@link #rate()}: {@link #frameSamples()} samples in an array owned by this
     * reader, valid until the next call.
     */
    public short[] read(MixGroup group) {
        Resampler cold = convert(group.pcm, group.rate, group.tick, out);
        if (group.switching) {
            convert(group.previousRatePcm, group.switchedFrom, group.tick, old);
            Crossfade.apply(old, out, Crossfade.hold(cold, out.length), out.length);
        }
        return out;
    }

    /** Converts one frame; returns the converter if it started cold (no history), else null. */
    private Resampler convert(short[] in, int from, long tick, short[] into) {
        int n = from / 1000 * Mixer.FRAME_MILLIS;
        if (from == rate) {
            System.arraycopy(in, 0, into, 0, n);
            return null;
        }
        int i = from == 8000 ? 0 : from == 16000 ? 1 : 2;
        Resampler c = converters[i];
        if (c == null) {
            c = new Resampler(from, rate);
            converters[i] = c;
        }
        boolean cold = ranAt[i] != tick - 1;
        if (cold) {
            // idle since before the last tick: its history is not the stream's any more
            c.reset();
        }
        ranAt[i] = tick;
        c.process(in, 0, n, into, 0);
        return cold ? c : null;
    }
}
