package io.warmline.media.mix;

/**
 * One participant of a {@link Mixer}: a leg, a player, a recorder or an agent stream. It may contribute one frame per
 * tick and, as a listener, reads the mix of the sources the {@link HearingMatrix} lets it hear. Confined to the
 * mixer's thread, like the mixer.
 */
public final class Participant {

    private final Mixer mixer;
    private final String id;
    final int slot;
    final short[] input;
    boolean contributed;
    boolean joined = true;
    MixGroup group;
    int audioRate;

    Participant(Mixer mixer, String id, int slot, int frameSamples, int mixRate) {
        this.mixer = mixer;
        this.id = id;
        this.slot = slot;
        this.input = new short[frameSamples];
        this.audioRate = mixRate;
    }

    public String id() {
        return id;
    }

    /**
     * Copies one frame ({@link Mixer#frameSamples()} samples at the bridge rate) from {@code pcm} as this tick's
     * contribution; a second call in the same tick replaces the first. Not contributing in a tick means silence.
     */
    public void contribute(short[] pcm, int offset) {
        if (!joined) {
            throw new IllegalStateException(id + " has left the mixer");
        }
        System.arraycopy(pcm, offset, input, 0, input.length);
        contributed = true;
    }

    /** The mix this participant hears after the last tick (shared with the other members of the group). */
    public MixGroup mix() {
        if (group == null) {
            throw new IllegalStateException("no tick has run since " + id + " joined");
        }
        return group;
    }

    /** Copies the mix this participant hears after the last tick into {@code out} at {@code offset}. */
    public void readMix(short[] out, int offset) {
        mix().copyTo(out, offset);
    }

    /**
     * Declares how wide this participant's audio is, as the lowest sample rate that carries it: 8000 for telephone
     * band (G.711, tones), 16000 for wideband, 48000 for anything wider. Listeners use it to code no wider than what
     * they hear ({@link MixGroup#audioRate()}). Until declared it is the mix rate; more than the mix rate counts as
     * the mix rate.
     */
    public void setAudioRate(int rate) {
        if (rate != 8000 && rate != 16000 && rate != 48000) {
            throw new IllegalArgumentException("audio rate must be 8000, 16000 or 48000: " + rate);
        }
        audioRate = Math.min(rate, mixer.sampleRate());
    }

    public int audioRate() {
        return audioRate;
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
