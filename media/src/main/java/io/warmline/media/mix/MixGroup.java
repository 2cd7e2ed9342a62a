package io.warmline.media.mix;

/**
 * The listeners that hear exactly the same sources in a tick, and the one mix they share. A caller that encodes each
 * group once and sends the payload to every listener of the group encodes once per distinct mix. The group of a
 * listener stays the same object from tick to tick until the matrix or the membership changes; during the crossfade
 * tick after a change listeners are grouped by both their old and their new source set.
 */
public final class MixGroup {

    final short[] pcm;
    final Participant[] listeners;
    int listenerCount;
    long previousSources;
    long sources;
    boolean fading;
    boolean silent;
    int audioRate = Mixer.TELEPHONE_RATE;

    MixGroup(int frameSamples, int maxListeners) {
        this.pcm = new short[frameSamples];
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

    public int frameSamples() {
        return pcm.length;
    }

    public void copyTo(short[] out, int offset) {
        System.arraycopy(pcm, 0, out, offset, pcm.length);
    }

    /** One sample of the mix, for callers that process it in place (e.g. an encoder reading sample by sample). */
    public short sample(int index) {
        return pcm[index];
    }
}
