package io.warmline.media.mix;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Sans-IO audio mixer with a {@link HearingMatrix}. Each tick every participant may {@link Participant#contribute}
 * one 20 ms frame of 16-bit PCM at its own rate (at most the mixer's); {@link #tick()} then gives each listener the
 * saturating sum of the contributions of the sources the matrix lets it hear (never its own). Listeners hearing the
 * same source set share one {@link MixGroup} (one mix, and for the caller one encode).
 *
 * <p><b>Rates.</b> Each group sums at the narrowest rate that loses nothing ({@link MixGroup#rate()}): the widest
 * audio rate of its sources, capped by the widest listen rate of its listeners. A group of G.711 legs sums at 8 kHz
 * and takes their frames as they are; a source of another rate is converted once per tick per rate and shared by
 * every group at that rate. A group whose rate changes (a wideband source joins, a wide listener leaves) changes it
 * on the next tick and also sums that tick at the old rate, so that readers crossfade ({@link MixReader}). Each
 * participant learns the widest rate it was heard at ({@link Participant#heardAtRate()}), so a decoder need not
 * decode wider.
 *
 * <p>A {@link #setMatrix matrix change}, a join or a leave takes effect on the next tick. In that tick each listener
 * whose source set changed crossfades linearly from the old mix to the new one over {@code crossfadeMillis}, so that
 * a switch ("the human now hears only the briefing") does not click.
 *
 * <p>Steady-state ticks allocate nothing: inputs, mixes and the accumulators are allocated at join or on the first
 * use of a group. Not thread-safe: a bridge's mixer is confined to its event loop.
 */
public final class Mixer {

    /** Sources and listeners are slot bits of a {@code long}. */
    public static final int MAX_PARTICIPANTS = 64;
    public static final int DEFAULT_CROSSFADE_MILLIS = 5;
    public static final int FRAME_MILLIS = 20;
    /** The audio rate of telephone-band audio, and of a mix that hears nothing. */
    public static final int TELEPHONE_RATE = 8000;

    private final int sampleRate;
    private final int frameSamples;
    private final int crossfadeMillis;
    private final Participant[] slots = new Participant[MAX_PARTICIPANTS];
    private final Map<String, Participant> byId = new HashMap<>();
    /** Sources each listener slot heard in the last tick (what a crossfade starts from). */
    private final long[] heard = new long[MAX_PARTICIPANTS];
    /** The rate each listener slot's mix was summed at in the last tick; 0 before its first. */
    private final int[] heardRate = new int[MAX_PARTICIPANTS];
    private final MixGroup[] groups = new MixGroup[MAX_PARTICIPANTS];
    private final int[] accumulator;
    private final int[] fadeFrom;
    private int groupCount;
    private HearingMatrix matrix = HearingMatrix.none();
    /** Set by a matrix or membership change, and after a crossfade tick (to merge groups back). */
    private boolean regroup;
    private long ticks;

    public Mixer(int sampleRate) {
        this(sampleRate, DEFAULT_CROSSFADE_MILLIS);
    }

    /** @param crossfadeMillis 0 (switch at once) to 20 (one whole frame) */
    public Mixer(int sampleRate, int crossfadeMillis) {
        if (sampleRate != 8000 && sampleRate != 16000 && sampleRate != 48000) {
            throw new IllegalArgumentException("bridge rate must be 8000, 16000 or 48000 Hz: " + sampleRate);
        }
        if (crossfadeMillis < 0 || crossfadeMillis > FRAME_MILLIS) {
            throw new IllegalArgumentException("crossfade must be 0..20 ms: " + crossfadeMillis);
        }
        this.sampleRate = sampleRate;
        this.frameSamples = sampleRate / 1000 * FRAME_MILLIS;
        this.crossfadeMillis = crossfadeMillis;
        this.accumulator = new int[frameSamples];
        this.fadeFrom = new int[frameSamples];
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int frameSamples() {
        return frameSamples;
    }

    /** @throws IllegalArgumentException if the id is taken; IllegalStateException if the mixer is full */
    public Participant join(String id) {
        Objects.requireNonNull(id, "id");
        if (byId.containsKey(id)) {
            throw new IllegalArgumentException("participant already joined: " + id);
        }
        for (int slot = 0; slot < MAX_PARTICIPANTS; slot++) {
            if (slots[slot] == null) {
                Participant p = new Participant(this, id, slot, frameSamples, sampleRate);
                slots[slot] = p;
                heard[slot] = 0;
                heardRate[slot] = 0;
                byId.put(id, p);
                regroup = true;
                return p;
            }
        }
        throw new IllegalStateException("mixer full (" + MAX_PARTICIPANTS + " participants)");
    }

    /** Removes {@code p} at once: it is heard no more and hears nothing from the next tick on. */
    public void leave(Participant p) {
        if (p.mixer() != this || slots[p.slot] != p) {
            throw new IllegalArgumentException(p + " is not in this mixer");
        }
        slots[p.slot] = null;
        byId.remove(p.id());
        p.joined = false;
        p.group = null;
        long bit = 1L << p.slot;
        for (int i = 0; i < MAX_PARTICIPANTS; i++) {
            heard[i] &= ~bit;
        }
        regroup = true;
    }

    public Participant participant(String id) {
        return byId.get(id);
    }

    public int size() {
        return byId.size();
    }

    public HearingMatrix matrix() {
        return matrix;
    }

    /** Applies from the next {@link #tick()}, with a crossfade for every listener whose sources change. */
    public void setMatrix(HearingMatrix matrix) {
        Objects.requireNonNull(matrix, "matrix");
        if (!matrix.equals(this.matrix)) {
            this.matrix = matrix;
            regroup = true;
        }
    }

    /** Mixes this tick's contributions into every group, then forgets the contributions. */
    public void tick() {
        if (regroup) {
            regroup();
        }
        for (Participant p : slots) {
            if (p != null) {
                p.heardAtRate = 0;
            }
        }
        boolean anyFade = false;
        for (int g = 0; g < groupCount; g++) {
            MixGroup group = groups[g];
            mix(group);
            anyFade |= group.fading;
        }
        for (Participant p : slots) {
            if (p != null) {
                p.endTick(ticks);
            }
        }
        regroup = anyFade;
        ticks++;
    }

    public long ticks() {
        return ticks;
    }

    public int groupCount() {
        return groupCount;
    }

    public MixGroup group(int index) {
        Objects.checkIndex(index, groupCount);
        return groups[index];
    }

    private void regroup() {
        for (int g = 0; g < groupCount; g++) {
            groups[g].listenerCount = 0;
        }
        groupCount = 0;
        for (int slot = 0; slot < MAX_PARTICIPANTS; slot++) {
            Participant listener = slots[slot];
            if (listener == null) {
                continue;
            }
            long now = sourcesOf(listener);
            long before = heard[slot];
            boolean fading = now != before && crossfadeMillis > 0;
            MixGroup group = findOrAdd(fading ? before : now, now, fading, heardRate[slot]);
            group.listeners[group.listenerCount++] = listener;
            listener.group = group;
            heard[slot] = now;
        }
    }

    private long sourcesOf(Participant listener) {
        long mask = 0;
        for (String sourceId : matrix.sourcesOf(listener.id())) {
            Participant source = byId.get(sourceId);
            if (source != null && source != listener) {
                mask |= 1L << source.slot;
            }
        }
        return mask;
    }

    private MixGroup findOrAdd(long previous, long sources, boolean fading, int previousRate) {
        for (int g = 0; g < groupCount; g++) {
            MixGroup group = groups[g];
            if (group.sources == sources && group.previousSources == previous && group.fading == fading
                    && group.previousRate == previousRate) {
                return group;
            }
        }
        MixGroup group = groups[groupCount];
        if (group == null) {
            group = new MixGroup(frameSamples, MAX_PARTICIPANTS);
            groups[groupCount] = group;
        }
        groupCount++;
        group.previousSources = previous;
        group.sources = sources;
        group.fading = fading;
        group.previousRate = previousRate;
        return group;
    }

    private void mix(MixGroup group) {
        long all = group.fading ? group.sources | group.previousSources : group.sources;
        group.audioRate = audioRate(all);
        int rate = Math.min(group.audioRate, listenRate(group));
        group.rate = rate;
        group.tick = ticks;
        group.switching = group.previousRate != 0 && group.previousRate != rate;
        group.switchedFrom = group.previousRate;
        group.silent = !render(group, rate, group.pcm);
        if (group.switching) {
            // the old rate's sum of the same period, for readers to fade out of their old conversion
            long before = group.fading ? group.previousSources : group.sources;
            int n = group.previousRate / 1000 * FRAME_MILLIS;
            sum(before, accumulator, group.previousRate);
            clip(accumulator, group.previousRatePcm, n);
            markHeard(before, group.previousRate);
        }
        markHeard(all, rate);
        for (int i = 0; i < group.listenerCount; i++) {
            heardRate[group.listeners[i].slot] = rate;
        }
        group.previousRate = rate;
    }

    /** Sums the group at {@code rate} into {@code out}, with the crossfade of a fading tick; false if all silent. */
    private boolean render(MixGroup group, int rate, short[] out) {
        int n = rate / 1000 * FRAME_MILLIS;
        boolean heardNow = sum(group.sources, accumulator, rate);
        if (group.fading) {
            boolean heardBefore = sum(group.previousSources, fadeFrom, rate);
            int m = rate / 1000 * crossfadeMillis;
            for (int i = 0; i < m; i++) {
                long gain = i + 1;
                accumulator[i] = (int) ((fadeFrom[i] * (m + 1 - gain) + accumulator[i] * gain) / (m + 1));
            }
            heardNow |= heardBefore;
        }
        clip(accumulator, out, n);
        return heardNow;
    }

    private static void clip(int[] from, short[] out, int n) {
        for (int i = 0; i < n; i++) {
            int s = from[i];
            out[i] = (short) (s > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(s, Short.MIN_VALUE));
        }
    }

    private void markHeard(long sources, int rate) {
        for (long rest = sources; rest != 0; rest &= rest - 1) {
            Participant source = slots[Long.numberOfTrailingZeros(rest)];
            if (source != null && source.heardAtRate < rate) {
                source.heardAtRate = rate;
            }
        }
    }

    /** The widest rate the listeners of {@code group} can use. */
    private static int listenRate(MixGroup group) {
        int rate = TELEPHONE_RATE;
        for (int i = 0; i < group.listenerCount; i++) {
            rate = Math.max(rate, group.listeners[i].listenRate);
        }
        return rate;
    }

    /** The widest audio rate among {@code sources} (contributing or not, so silence does not flip it); 8000 if none. */
    private int audioRate(long sources) {
        int rate = TELEPHONE_RATE;
        for (long rest = sources; rest != 0; rest &= rest - 1) {
            Participant source = slots[Long.numberOfTrailingZeros(rest)];
            if (source != null && source.audioRate > rate) {
                rate = source.audioRate;
            }
        }
        return rate;
    }

    /** Integer sum at {@code rate} of the contributions of {@code sources}; false if none of them contributed. */
    private boolean sum(long sources, int[] into, int rate) {
        int n = rate / 1000 * FRAME_MILLIS;
        java.util.Arrays.fill(into, 0, n, 0);
        boolean any = false;
        for (long rest = sources; rest != 0; rest &= rest - 1) {
            Participant source = slots[Long.numberOfTrailingZeros(rest)];
            if (source == null || !source.contributed) {
                continue;
            }
            any = true;
            short[] in = source.frameAt(rate, ticks);
            for (int i = 0; i < n; i++) {
                into[i] += in[i];
            }
        }
        return any;
    }
}
