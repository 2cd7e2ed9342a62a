package io.warmline.media.mix;

/**
 * The listeners that hear exactly the same sources in a tick, and the one mix they share. A caller that encodes each
 * group once and sends the payload to every listener of the group encodes once per distinct mix. The group of a
 * listener stays the same object from tick to tick until the matrix or the membership changes; during the crossfade
 * tick after a change listeners are grouped by both their old and their new source set.
 */
public final class MixGroup {

    final short[] pcm;
    /** In a tick that changed the rate: this period summed at {@link #switchedFrom} the old way. */
    final short[] previousRatePcm;
    final Participant[] listeners;
    int listenerCount;
    long previousSources;
    long sources;
    boolean fading;
    boolean silent;
    int audioRate = Mixer.TELEPHONE_RATE;
    int rate;
    /** The rate the listeners heard in the previous tick (0: they are new); a grouping key. */
    int previousRate;
    boolean switching;
    /** In a switching tick, the rate {@link #previousRatePcm} is at. */
    int switchedFrom;
    /** The mixer's tick that produced this mix. */
    long tick;

    MixGroup(int frameSamples, int maxListeners) {
        this.pcm = new short[frameSamples];
        this.previousRatePcm = new short[frameSamples];
        this.listeners = new Participant[maxListeners];
    }

    public int listenerCount() {
        return listenerCount;
    }

    public Participant listener(int index) {
        java.util.Objects.checkIndex(index, listenerCount);
        return listeners[index];
    }

    /** Whether {@code source} is among the sources this group hears (after the change, during a crossfade). */
    public boolean hears(Participant source) {
        return (sources & (1L << source.slot)) != 0;
    }

    /** Number of sources this group may hear (contributing or not). */
    public int sourceCount() {
        return Long.bitCount(sources);
    }

    /** True if none of the sources this group hears contributed in the last tick: the mix is all zeros. */
    public boolean silent() {
        return silent;
    }

    /** True in the tick right after a matrix or membership change that changed what this group hears. */
    public boolean crossfading() {
        return fading;
    }

    /**
     * The widest {@link Participant#audioRate() audio rate} among the sources this group may hear (also those silent
     * this tick; during a crossfade, the old and the new ones); 8000 when it hears nobody. An encoder for this group
     * gains nothing by coding wider than this: a group hearing only G.711 legs and tones is telephone band.
     */
    public int audioRate() {
        return audioRate;
    }

    /**
     * The rate this tick's mix is summed at: the widest {@link #audioRate()} of the sources, but no wider than the
     * widest {@link Participant#listenRate()} of the listeners. A group that hears only telephone-band audio, or whose
     * listeners are all G.711 legs, sums at 8 kHz; its sources that are wider are converted down once per tick.
     */
    public int rate() {
        return rate;
    }

    /**
     * True in the tick in which {@link #rate()} changed: {@link #previousRate()} gives this same period at the old
     * rate, so that a reader can crossfade from its old conversion to its new one ({@link MixReader} does).
     */
    public boolean switching() {
        return switching;
    }

    /** In a {@link #switching()} tick, the rate the listeners heard before; otherwise {@link #rate()}. */
    public int previousRate() {
        return switching ? switchedFrom : rate;
    }

    /** Samples in this tick's mix: 20 ms at {@link #rate()}. */
    public int frameSamples() {
        return rate / 1000 * Mixer.FRAME_MILLIS;
    }

    public void copyTo(short[] out, int offset) {
        System.arraycopy(pcm, 0, out, offset, frameSamples());
    }

    /** One sample of the mix, for callers that process it in place (e.g. an encoder reading sample by sample). */
    public short sample(int index) {
        return pcm[index];
    }
}
