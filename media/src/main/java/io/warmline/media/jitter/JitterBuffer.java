package io.warmline.media.jitter;


/**
 * Adaptive jitter buffer for one received RTP stream, sans-IO: the owner {@link #offer offers} packets as they arrive
 * and {@link #poll polls} once per frame period (its media tick), passing the current time to both. It never reads a
 * clock and starts no timer.
 *
 * <h2>Playout</h2>
 * Packets are kept in timestamp order (reordering is undone) and played one per poll. The playout point is steered
 * by one quantity, the <em>playout offset</em> O = now − (media time of the frame being played) − (least network
 * transit seen recently): how long a packet that crossed the network as fast as any recent packet waits here. A talkspurt
 * (the first packet, or the first after the buffer ran dry) starts playing at the first poll where O reaches the
 * target delay. While playing:
 * <ul>
 *   <li>the packet for the period is played ({@link PlayoutFrame.Kind#AUDIO});</li>
 *   <li>if it is missing but later packets are buffered, the period is {@link PlayoutFrame.Kind#MISSING} (conceal it;
 *       the next packet is offered for FEC), unless the next packet opens a new talkspurt (marker bit, RFC 3551 §4.1,
 *       or a timestamp gap with no sequence gap), in which case the gap is DTX/silence suppression and
 *       {@link PlayoutFrame.Kind#SILENCE};</li>
 *   <li>if nothing is buffered, the period is {@link PlayoutFrame.Kind#MISSING} without moving the playout point, so a
 *       delayed packet is still played and the delay grows; after {@code concealFrames} such periods the buffer falls
 *       back to silence and waits for a new talkspurt;</li>
 *   <li>at most once every {@value #ADJUST_INTERVAL} frames, if O exceeds target + 1.5 frames one frame is dropped
 *       (accelerate), and if O is below the target one frame is concealed in place (expand);</li>
 *   <li>if O exceeds the maximum delay by more than a frame (the owner stalled and polls resumed late), the play
 *       point jumps to the oldest buffered packet that keeps the target delay; the older ones are discarded.</li>
 * </ul>
 * Packets whose period has already been played are late and dropped.
 *
 * <h2>Target delay</h2>
 * The target is the configured quantile (e.g. 95 %) of the relative transit delay (transit minus the least transit)
 * of the last {@value #HISTORY} packets, plus the configured read-ahead, clamped to [min, max]: the delay that would
 * have played that fraction of them on time when each frame is polled up to the read-ahead before it is heard. The RFC 3550 §6.4.1 interarrival jitter is reported as well.
 *
 * <h2>Discontinuities</h2>
 * Sequence numbers and timestamps are extended past their wrap (RFC 3550 Appendix A.1). An SSRC change resets the
 * stream. A sequence jump of more than {@value #MAX_SEQUENCE_JUMP} or a timestamp jump that moves the transit by more
 * than max(1 s, 2 × max delay) restarts the playout timeline: buffered packets are discarded, the delay measurements
 * start over.
 *
 * <p>Each packet must carry {@code frameMillis} of audio. Depth is bounded by {@code capacity}; steady-state
 * operation allocates nothing. Not thread-safe: owned by one event loop.
 */
public final class JitterBuffer {

    static final int HISTORY = 128;
    static final int ADJUST_INTERVAL = 10;
    static final int MAX_SEQUENCE_JUMP = 3000;
    /** Older packets than this (in sequence numbers) cannot be checked for duplication and count as late. */
    static final int DUPLICATE_WINDOW = 64;

    private enum State { WAITING, PLAYING }

    private final JitterBufferConfig config;
    private final int rate;
    private final long frame;
    private final long frameNanos;
    private final long minDelayNanos;
    private final long maxDelayNanos;
    private final long readAheadNanos;
    private final long discontinuityNanos;

    // Buffered packets: slot arrays, with order[] listing occupied slots by ascending extended timestamp.
    private final byte[][] data;
    private final int[] length;
    private final long[] slotTs;
    private final long[] slotSeq;
    private final boolean[] slotSpurt;
    private final boolean[] slotMarker;
    private final int[] order;
    private final int[] free;
    private int count;
    private int freeCount;

    private final PlayoutFrame out;
    private DropListener dropListener;

    // Stream identity and sequence state (RFC 3550 A.1).
    private boolean started;
    private int ssrc;
    private long highestSeq;
    private long highestTs;
    private long baseSeq;
    private long receivedInSegment;
    private long lostInEarlierSegments;
    private long receivedMask;
    private long tsOrigin;

    // Transit history for the target delay, and RFC 3550 jitter (in timestamp units).
    private final long[] transits = new long[HISTORY];
    private final long[] scratch = new long[HISTORY];
    private int transitCount;
    private int transitNext;
    private boolean targetDirty;
    private long minTransit;
    private long targetNanos;
    private long lastTransitNanos;
    private double jitterTs;

    // Playout.
    private State state = State.WAITING;
    private long playTs;
    private long lastPlayedSeq = Long.MIN_VALUE;
    private long lastPlayedEndTs = Long.MIN_VALUE;
    private int dryFrames;
    private int sinceAdjust;
    private long currentDelayNanos;

    // Counters.
    private long received;
    private long late;
    private long duplicates;
    private long discarded;
    private long malformed;
    private long played;
    private long concealed;
    private long accelerated;
    private long expanded;
    private long resets;
    private long discontinuities;

    public JitterBuffer(JitterBufferConfig config) {
        this.config = config;
        this.rate = config.clockRate();
        this.frame = config.frameSamples();
        this.frameNanos = config.frameMillis() * 1_000_000L;
        this.minDelayNanos = config.minDelayMillis() * 1_000_000L;
        this.maxDelayNanos = config.maxDelayMillis() * 1_000_000L;
        this.readAheadNanos = config.readAheadMillis() * 1_000_000L;
        this.discontinuityNanos = Math.max(1_000_000_000L, 2 * maxDelayNanos);
        int capacity = config.capacity();
        data = new byte[capacity][config.maxPayloadBytes()];
        length = new int[capacity];
        slotTs = new long[capacity];
        slotSeq = new long[capacity];
        slotSpurt = new boolean[capacity];
        slotMarker = new boolean[capacity];
        order = new int[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        out = new PlayoutFrame(config.maxPayloadBytes());
        targetNanos = minDelayNanos;
    }

    public JitterBufferConfig config() {
        return config;
    }

    /**
     * Sees the buffered packets a {@link #poll} throws away to catch up with its owner (the jump after a stall, an
     * accelerated frame, a packet left behind the play point), in timestamp order and before that poll returns, so
     * an owner can still analyse what arrived while playout skips it. Null (the default) removes it.
     */
    public void setDropListener(DropListener listener) {
        this.dropListener = listener;
    }

    /** See {@link #setDropListener}. */
    @FunctionalInterface
    public interface DropListener {
        /**
         * @param timestamp the packet's RTP timestamp (32 bits, unsigned)
         * @param payload valid in {@code [0, length)}, only during the call
         * @param dueNanos when the packet would have been played at the target delay (the owner's clock)
         */
        void onDropped(long timestamp, byte[] payload, int length, long dueNanos);
    }

    /**
     * Takes one received RTP packet; the payload is copied.
     *
     * @param ssrc the packet's SSRC; a new one resets the stream
     * @param sequenceNumber 16-bit RTP sequence number
     * @param timestamp 32-bit RTP timestamp (only the low 32 bits are used)
     * @param marker the RTP marker bit (start of a talkspurt for audio, RFC 3551 §4.1)
     */
    public OfferResult offer(int ssrc, int sequenceNumber, long timestamp, boolean marker,
                             byte[] payload, int offset, int len, long nowNanos) {
        if (len <= 0 || len > config.maxPayloadBytes() || offset < 0 || offset + len > payload.length) {
            malformed++;
            return OfferResult.MALFORMED;
        }
        int seq16 = sequenceNumber & 0xFFFF;
        int ts32 = (int) timestamp;
        if (!started || ssrc != this.ssrc) {
            if (started) {
                resets++;
            }
            startStream(ssrc, seq16, ts32);
        }
        int seqDelta = (short) (seq16 - (int) (highestSeq & 0xFFFF));
        long extSeq = highestSeq + seqDelta;
        if (seqDelta > MAX_SEQUENCE_JUMP || seqDelta < -MAX_SEQUENCE_JUMP) {
            restartTimeline(seq16, ts32);
            seqDelta = 0;
            extSeq = highestSeq;
        } else if (seqDelta <= -DUPLICATE_WINDOW) {
            received++;
            receivedInSegment++;
            late++;
            return OfferResult.LATE;
        } else if (seqDelta <= 0 && (receivedMask & (1L << -seqDelta)) != 0) {
            duplicates++;
            return OfferResult.DUPLICATE;
        }
        long extTs = highestTs + (ts32 - (int) highestTs);
        long transit = nowNanos - mediaNanos(extTs);
        if (transitCount > 0 && Math.abs(transit - lastTransitNanos) > discontinuityNanos) {
            restartTimeline(seq16, ts32);
            seqDelta = 0;
            extSeq = highestSeq;
            extTs = highestTs;
            transit = nowNanos - mediaNanos(extTs);
        }

        boolean newSpurt = marker;
        if (seqDelta > 0) {
            // A timestamp step larger than the sequence step explains: DTX / silence suppression (RFC 3551 §4.1).
            if (extTs - highestTs > (seqDelta + 1) * frame) {
                newSpurt = true;
            }
            receivedMask = seqDelta >= 64 ? 1L : (receivedMask << seqDelta) | 1L;
            highestSeq = extSeq;
            highestTs = extTs;
        } else {
            receivedMask |= 1L << -seqDelta;
        }
        received++;
        receivedInSegment++;
        recordTransit(transit, extTs);

        if ((state == State.PLAYING && extTs < playTs - frame / 2) || (lastPlayedEndTs != Long.MIN_VALUE && extTs < lastPlayedEndTs - frame / 2)) {
            late++;
            return OfferResult.LATE;
        }
        return store(extSeq, extTs, newSpurt, marker, payload, offset, len);
    }

    /**
     * Hands out the frame to play for the period starting now. Call once per frame period.
     *
     * @return this buffer's reused frame, valid until the next call
     */
    public PlayoutFrame poll(long nowNanos) {
        updateTarget();
        if (state == State.WAITING) {
            if (count == 0 || nowNanos - mediaNanos(slotTs[order[0]]) - minTransit < targetNanos) {
                out.setSilence(count == 0 ? 0 : (slotTs[order[0]] & 0xFFFFFFFFL));
                return out;
            }
            state = State.PLAYING;
            playTs = slotTs[order[0]];
            sinceAdjust = 0;
        }
        dropStale();
        long offsetNanos = nowNanos - mediaNanos(playTs) - minTransit;
        if (count > 0 && offsetNanos > maxDelayNanos + frameNanos) {
            // Far behind (the owner stalled, or more arrived than the buffer holds and the oldest were discarded):
            // one frame per adjustment interval never catches up, and the play point can fall behind every
            // buffered packet. Jump to the oldest packet that still keeps the target delay.
            while (count > 1 && nowNanos - mediaNanos(slotTs[order[0]]) - minTransit > targetNanos + frameNanos) {
                discarded++;
                dropOldest();
            }
            playTs = slotTs[order[0]];
            offsetNanos = nowNanos - mediaNanos(playTs) - minTransit;
            accelerated++;
            sinceAdjust = 0;
        }
        currentDelayNanos = offsetNanos;
        sinceAdjust++;
        if (sinceAdjust > ADJUST_INTERVAL && offsetNanos > targetNanos + frameNanos + frameNanos / 2 && count > 0) {
            sinceAdjust = 0;
            accelerated++;
            if (matchesPlayPoint(order[0])) {
                dropOldest();
            }
            playTs += frame;
            dropStale();
            currentDelayNanos -= frameNanos;
        } else if (sinceAdjust > ADJUST_INTERVAL && offsetNanos < targetNanos) {
            sinceAdjust = 0;
            expanded++;
            concealed++;
            out.setMissing(playTs & 0xFFFFFFFFL);
            out.setStretched();
            return out;
        }

        if (count == 0) {
            dryFrames++;
            if (dryFrames > config.concealFrames()) {
                state = State.WAITING;
                out.setSilence(playTs & 0xFFFFFFFFL);
                return out;
            }
            concealed++;
            out.setMissing(playTs & 0xFFFFFFFFL);
            return out;
        }
        dryFrames = 0;
        int slot = order[0];
        if (matchesPlayPoint(slot)) {
            out.setAudio((int) (slotSeq[slot] & 0xFFFF), slotTs[slot] & 0xFFFFFFFFL, slotMarker[slot],
                    data[slot], length[slot]);
            lastPlayedSeq = slotSeq[slot];
            playTs = slotTs[slot] + frame;
            lastPlayedEndTs = playTs;
            release(0);
            played++;
            return out;
        }
        long gapTs = playTs;
        playTs += frame;
        lastPlayedEndTs = playTs;
        if (slotSpurt[slot] || slotSeq[slot] == lastPlayedSeq + 1) {
            out.setSilence(gapTs & 0xFFFFFFFFL);
            return out;
        }
        concealed++;
        out.setMissing(gapTs & 0xFFFFFFFFL);
        if (slotTs[slot] - gapTs <= frame + frame / 2) {
            out.setNext(data[slot], length[slot]);
        }
        return out;
    }

    /** Packets currently buffered. */
    public int depth() {
        return count;
    }

    public double targetDelayMillis() {
        updateTarget();
        return targetNanos / 1e6;
    }

    /** Playout offset at the last poll: the wait of a packet that had the least recent network transit. */
    public double currentDelayMillis() {
        return currentDelayNanos / 1e6;
    }

    public double jitterMillis() {
        return jitterTs * 1000.0 / rate;
    }

    public long lost() {
        long expected = started ? highestSeq - baseSeq + 1 : 0;
        return lostInEarlierSegments + Math.max(0, expected - receivedInSegment);
    }

    public long late() {
        return late;
    }

    public long duplicates() {
        return duplicates;
    }

    public long discarded() {
        return discarded;
    }

    public JitterBufferStats stats() {
        return new JitterBufferStats(received, lost(), late, duplicates, discarded, malformed, played, concealed,
                accelerated, expanded, resets, discontinuities, targetDelayMillis(), currentDelayMillis(),
                jitterMillis());
    }

    private void startStream(int newSsrc, int seq16, int ts32) {
        beginSegment(seq16, ts32);
        started = true;
        ssrc = newSsrc;
    }

    private void restartTimeline(int seq16, int ts32) {
        discontinuities++;
        beginSegment(seq16, ts32);
    }

    /** Loss so far is carried over; buffered frames are discarded and sequence and timestamp restart here. */
    private void beginSegment(int seq16, int ts32) {
        lostInEarlierSegments = lost();
        flush();
        highestSeq = seq16;
        baseSeq = seq16;
        receivedInSegment = 0;
        receivedMask = 0;
        highestTs = ts32 & 0xFFFFFFFFL;
        tsOrigin = highestTs;
        lastPlayedSeq = Long.MIN_VALUE;
        lastPlayedEndTs = Long.MIN_VALUE;
        forgetTiming();
    }

    private void forgetTiming() {
        state = State.WAITING;
        transitCount = 0;
        transitNext = 0;
        jitterTs = 0;
        targetDirty = true;
        dryFrames = 0;
    }

    private void flush() {
        discarded += count;
        while (count > 0) {
            release(count - 1);
        }
    }

    /** Media time of an extended timestamp, in nanoseconds since the stream's first timestamp (no overflow). */
    private long mediaNanos(long extTs) {
        long ticks = extTs - tsOrigin;
        return Math.floorDiv(ticks, rate) * 1_000_000_000L + Math.floorMod(ticks, rate) * 1_000_000_000L / rate;
    }

    private void recordTransit(long transit, long extTs) {
        if (transitCount > 0) {
            // RFC 3550 §6.4.1: J += (|D| − J) / 16, with D in timestamp units.
            double d = Math.abs(transit - lastTransitNanos) * (double) rate / 1e9;
            jitterTs += (d - jitterTs) / 16.0;
        }
        lastTransitNanos = transit;
        transits[transitNext] = transit;
        transitNext = (transitNext + 1) % HISTORY;
        if (transitCount < HISTORY) {
            transitCount++;
        }
        targetDirty = true;
    }

    private void updateTarget() {
        if (!targetDirty) {
            return;
        }
        targetDirty = false;
        if (transitCount == 0) {
            targetNanos = minDelayNanos;
            return;
        }
        long min = transits[0];
        for (int i = 1; i < transitCount; i++) {
            min = Math.min(min, transits[i]);
        }
        minTransit = min;
        System.arraycopy(transits, 0, scratch, 0, transitCount);
        int index = (int) Math.ceil(config.quantile() * transitCount) - 1;
        long spread = KthSmallest.select(scratch, transitCount, Math.max(0, index)) - minTransit;
        targetNanos = Math.max(minDelayNanos, Math.min(maxDelayNanos, spread + readAheadNanos));
    }

    private boolean matchesPlayPoint(int slot) {
        return slotTs[slot] <= playTs + frame / 2;
    }

    /** Drops buffered packets whose period is already behind the playout point (after an acceleration). */
    private void dropStale() {
        while (count > 0 && slotTs[order[0]] < playTs - frame / 2) {
            late++;
            dropOldest();
        }
    }

    private void dropOldest() {
        DropListener l = dropListener;
        if (l != null) {
            int slot = order[0];
            l.onDropped(slotTs[slot] & 0xFFFFFFFFL, data[slot], length[slot],
                    mediaNanos(slotTs[slot]) + minTransit + targetNanos);
        }
        release(0);
    }

    private OfferResult store(long extSeq, long extTs, boolean spurt, boolean marker,
                              byte[] payload, int offset, int len) {
        int position = count;
        while (position > 0 && slotTs[order[position - 1]] > extTs) {
            position--;
        }
        if (position > 0 && slotTs[order[position - 1]] == extTs) {
            duplicates++;
            return OfferResult.DUPLICATE;
        }
        if (freeCount == 0) {
            discarded++;
            if (position == 0) {
                return OfferResult.DISCARDED;
            }
            release(0);
            position--;
        }
        int slot = free[--freeCount];
        System.arraycopy(order, position, order, position + 1, count - position);
        order[position] = slot;
        count++;
        System.arraycopy(payload, offset, data[slot], 0, len);
        length[slot] = len;
        slotTs[slot] = extTs;
        slotSeq[slot] = extSeq;
        slotSpurt[slot] = spurt;
        slotMarker[slot] = marker;
        return OfferResult.BUFFERED;
    }

    private void release(int position) {
        int slot = order[position];
        System.arraycopy(order, position + 1, order, position, count - position - 1);
        count--;
        free[freeCount++] = slot;
    }
}
