package io.warmline.media.quality;

import io.warmline.media.jitter.JitterBuffer;

/**
 * Tells the jitter buffer's drops (packets it played late or discarded) that our own stalls caused from those the
 * network caused, for one terminated leg; sans-IO (the owner passes the time).
 *
 * <p>When the bridge's loop stalls, its overdue ticks are skipped and the packets of the stall wait in the socket. Read
 * after the skipped periods were played out, they come too late for their periods or pile up beyond the buffer's
 * maximum delay, and the buffer drops them as it would drop packets a network delivered in a burst. Nothing was lost
 * in the network: their RTP sequence numbers are all there, and such drops are ours. Drops observed from a stall until
 * its own length (at least {@value #MIN_WINDOW_PERIODS} periods) after the loop woke up, which is when the packets
 * queued during it have been read and played or dropped, are counted as ours; all others as the network's.
 *
 * <p>Not thread-safe: the leg's event loop owns it.
 */
public final class StallLedger {

    /** A stall shorter than this many periods still gets this long to flush its packets through the buffer. */
    static final int MIN_WINDOW_PERIODS = 2;

    private long windowEndNanos = Long.MIN_VALUE;
    private JitterBuffer observed;
    private long seenDrops;
    private long ownDrops;
    private long ownDropsInBuffer;
    private long networkDrops;
    private long skippedPeriods;

    /**
     * Our loop skipped {@code periods} ticks (each {@code periodNanos} long) and woke up at {@code nowNanos}: a frame
     * of each was never sent, and the frame received for each was played out unheard.
     */
    public void onSkipped(long periods, long periodNanos, long nowNanos) {
        if (periods <= 0) {
            return;
        }
        skippedPeriods += periods;
        long window = Math.max(periods, MIN_WINDOW_PERIODS) * periodNanos;
        windowEndNanos = Math.max(windowEndNanos, nowNanos + window);
    }

    /**
     * Called once per tick, after the tick's playout, with the buffer the leg plays from and the tick's nominal time:
     * attributes the drops since the previous call. A new buffer (the peer switched codec family) starts from zero.
     */
    public void observe(JitterBuffer buffer, long tickNanos) {
        if (buffer != observed) {
            observed = buffer;
            seenDrops = 0;
            ownDropsInBuffer = 0;
        }
        long drops = buffer.late() + buffer.discarded();
        long fresh = drops - seenDrops;
        seenDrops = drops;
        if (fresh <= 0) {
            return;
        }
        if (tickNanos <= windowEndNanos) {
            ownDrops += fresh;
            ownDropsInBuffer += fresh;
        } else {
            networkDrops += fresh;
        }
    }

    /** Packets the jitter buffer dropped because our loop stalled. */
    public long ownDrops() {
        return ownDrops;
    }

    /** Of {@link #ownDrops()}, those of the buffer last observed (whose own counters start with it). */
    public long ownDropsInBuffer() {
        return ownDropsInBuffer;
    }

    /** Packets the jitter buffer dropped outside our stalls: they arrived later than its delay allowed. */
    public long networkDrops() {
        return networkDrops;
    }

    /** Ticks our loop skipped. */
    public long skippedPeriods() {
        return skippedPeriods;
    }
}
