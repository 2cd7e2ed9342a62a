package io.warmline.media.mix;

import io.warmline.media.resample.Resampler;

/**
 * One participant of a {@link Mixer}: a leg, a player, a recorder or an agent stream. It may contribute one frame per
 * tick and, as a listener, reads the mix of the sources the {@link HearingMatrix} lets it hear. Confined to the
 * mixer's thread, like the mixer.
 *
 * <p>A contribution comes at the participant's own rate (a G.711 leg at 8 kHz, a player at the mix rate). A mix
 * group that sums at another rate takes it through this participant's converter for that rate, run at most once per
 * tick and shared by every group at that rate. A converter that did not run in the previous tick is primed with the
 * previous tick's frame first, so its output is the same as if it had run all along.
 */
public final class Participant {

    private final Mixer mixer;
    private final String id;
    final int slot;
    /** This tick's frame at {@link #inputRate}, room for a frame at the mix rate. */
    short[] input;
    int inputRate;
    boolean contributed;
    /** The previous tick's frame (priming history for converters that sat idle). */
    private short[] previous;
    private int previousRate;
    private boolean previousContributed;
    /** When the own rate changed this tick: the same period at the old rate, faded out against the new one. */
    private final short[] fadeInput;
    private int fadeRate;
    private boolean fadeContributed;
    /** Converters by [from rate index][to rate index], made on first use. */
    private final Resampler[][] converters = new Resampler[3][3];
    private final long[][] converterTick = new long[3][3];
    /** This tick's frame converted to each rate, valid when {@code convertedTick[i] == tick}. */
    private final short[][] converted = new short[3][];
    private final long[] convertedTick = {-1, -1, -1};
    private final short[] scratch;
    private final short[] fadeScratch;
    boolean joined = true;
    MixGroup group;
    int audioRate;
    int listenRate;
    /** The widest rate among the groups that heard this participant in the last tick; 0 when none did. */
    int heardAtRate;

    Participant(Mixer mixer, String id, int slot, int frameSamples, int mixRate) {
        this.mixer = mixer;
        this.id = id;
        this.slot = slot;
        this.input = new short[frameSamples];
        this.previous = new short[frameSamples];
        this.fadeInput = new short[frameSamples];
        this.scratch = new short[frameSamples];
        this.fadeScratch = new short[frameSamples];
        this.inputRate = mixRate;
        this.previousRate = mixRate;
        this.audioRate = mixRate;
        this.listenRate = mixRate;
        for (long[] row : converterTick) {
            java.util.Arrays.fill(row, -2);
        }
    }

    public String id() {
        return id;
    }

    /**
     * Copies one frame ({@link Mixer#frameSamples()} samples at the bridge rate) from {@code pcm} as this tick's
     * contribution; a second call in the same tick replaces the first. Not contributing in a tick means silence.
     */
    public void contribute(short[] pcm, int offset) {
        contribute(pcm, offset, mixer.sampleRate());
    }

    /**
     * Copies one 20 ms frame at {@code rate} (8000, 16000 or 48000, at most the mix rate; {@code rate / 50} samples)
     * as this tick's contribution. Contributing at the rate the listeners' groups sum at saves a conversion: a G.711
     * leg contributes at 8 kHz.
     */
    public void contribute(short[] pcm, int offset, int rate) {
        checkJoined();
        int n = samples(rate);
        System.arraycopy(pcm, offset, input, 0, n);
        inputRate = rate;
        contributed = true;
    }

    /**
     * Contributes a frame whose source changed its rate this tick: {@code oldPcm} at {@code oldRate} is the same
     * period as produced the old way (for instance by the decoder it had until now), {@code pcm} at {@code rate} the
     * new way. Every group hears a crossfade over the frame from the old to the new, each through its converter, so
     * the change of the conversion's delay does not click.
     */
    public void contributeSwitching(short[] oldPcm, int oldOffset, int oldRate, short[] pcm, int offset, int rate) {
        contribute(pcm, offset, rate);
        System.arraycopy(oldPcm, oldOffset, fadeInput, 0, samples(oldRate));
        fadeRate = oldRate;
        fadeContributed = true;
    }

    private void checkJoined() {
        if (!joined) {
            throw new IllegalStateException(id + " has left the mixer");
        }
    }

    private int samples(int rate) {
        if (rate != 8000 && rate != 16000 && rate != 48000 || rate > mixer.sampleRate()) {
            throw new IllegalArgumentException("frame rate must be 8000, 16000 or 48000 and at most the mix rate: "
                    + rate);
        }
        return rate / 1000 * Mixer.FRAME_MILLIS;
    }

    /** This tick's contribution at {@code rate}; call only when {@link #contributed}. */
    short[] frameAt(int rate, long tick) {
        if (rate == inputRate && !fadeContributed) {
            return input;
        }
        int r = index(rate);
        if (convertedTick[r] == tick) {
            return converted[r];
        }
        short[] out = converted[r];
        if (out == null) {
            out = new short[rate / 1000 * Mixer.FRAME_MILLIS];
            converted[r] = out;
        }
        Resampler cold = convert(input, inputRate, out, rate, tick, scratch);
        if (fadeContributed) {
            short[] old = fadeRate == rate ? fadeInput : fadeScratch;
            if (fadeRate != rate) {
                convert(fadeInput, fadeRate, old, rate, tick, scratch);
            }
            Crossfade.apply(old, out, Crossfade.hold(cold, out.length), out.length);
        }
        convertedTick[r] = tick;
        return out;
    }

    /** Converts one frame; returns the converter if it started without the stream's history, else null. */
    private Resampler convert(short[] in, int from, short[] out, int to, long tick, short[] prime) {
        int n = from / 1000 * Mixer.FRAME_MILLIS;
        if (from == to) {
            System.arraycopy(in, 0, out, 0, n);
            return null;
        }
        int f = index(from);
        int t = index(to);
        Resampler c = converters[f][t];
        if (c == null) {
            c = new Resampler(from, to);
            converters[f][t] = c;
        }
        boolean cold = false;
        if (converterTick[f][t] != tick - 1) {
            c.reset();
            if (previousContributed && previousRate == from) {
                c.process(previous, 0, n, prime, 0);
            } else {
                cold = previousContributed;
            }
        }
        converterTick[f][t] = tick;
        c.process(in, 0, n, out, 0);
        return cold ? c : null;
    }

    /** End of tick: this frame becomes the priming history; silence when nothing was contributed. */
    void endTick(long tick) {
        if (contributed) {
            short[] t = previous;
            previous = input;
            input = t;
            previousRate = inputRate;
        } else {
            // a converter that ran this tick did not see this period: it must be primed (with silence) next time
            for (long[] row : converterTick) {
                java.util.Arrays.fill(row, -2);
            }
        }
        previousContributed = contributed;
        contributed = false;
        fadeContributed = false;
    }

    private static int index(int rate) {
        return rate == 8000 ? 0 : rate == 16000 ? 1 : 2;
    }

    /** The mix this participant hears after the last tick (shared with the other members of the group). */
    public MixGroup mix() {
        if (group == null) {
            throw new IllegalStateException("no tick has run since " + id + " joined");
        }
        return group;
    }

    /**
     * Copies the mix this participant hears after the last tick into {@code out} at {@code offset}: {@code
     * mix().frameSamples()} samples at {@code mix().rate()} (use a {@link MixReader} for a fixed rate).
     */
    public void readMix(short[] out, int offset) {
        mix().copyTo(out, offset);
    }

    /**
     * Declares how wide this participant's audio is, as the lowest sample rate that carries it: 8000 for telephone
     * band (G.711, tones), 16000 for wideband, 48000 for anything wider. Listeners use it to code no wider than what
     * they hear ({@link MixGroup#audioRate()}), and groups to sum no wider ({@link MixGroup#rate()}). Until declared
     * it is the mix rate; more than the mix rate counts as the mix rate.
     */
    public void setAudioRate(int rate) {
        checkRate(rate);
        audioRate = Math.min(rate, mixer.sampleRate());
    }

    public int audioRate() {
        return audioRate;
    }

    /**
     * Declares the widest audio this participant can use as a listener: 8000 for a G.711 leg (it sends nothing wider),
     * the encoder's input rate for an Opus leg, the mix rate for a recorder (the default). A group whose listeners
     * all use at most 8 kHz sums at 8 kHz whatever its sources carry.
     */
    public void setListenRate(int rate) {
        checkRate(rate);
        listenRate = Math.min(rate, mixer.sampleRate());
    }

    public int listenRate() {
        return listenRate;
    }

    /**
     * The widest {@link MixGroup#rate()} among the groups that heard this participant in the last tick, 0 when nobody
     * did: a source that makes its frames (a decoder) need not make them wider than this.
     */
    public int heardAtRate() {
        return heardAtRate;
    }

    private static void checkRate(int rate) {
        if (rate != 8000 && rate != 16000 && rate != 48000) {
            throw new IllegalArgumentException("audio rate must be 8000, 16000 or 48000: " + rate);
        }
    }

    public boolean joined() {
        return joined;
    }

    Mixer mixer() {
        return mixer;
    }

    @Override
    public String toString() {
        return "Participant[" + id + "]";
    }
}
