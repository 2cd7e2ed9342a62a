package io.warmline.media.transport;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One periodic task per event loop that runs the timers of every open {@link MediaLeg} on it, instead of one
 * scheduled task per leg: at a thousand calls the loop's scheduled-task queue held two thousand entries, each
 * re-queued five times a second. Confined to its loop (the instance lives in a {@link FastThreadLocal} of the loop
 * thread); it stops ticking while it has no legs.
 */
final class LegTicker {

    private static final Logger log = LoggerFactory.getLogger(LegTicker.class);
    private static final FastThreadLocal<LegTicker> ON_LOOP = new FastThreadLocal<>();

    private final EventLoop loop;
    private final long periodMillis;
    private final ArrayList<MediaLeg> legs = new ArrayList<>();
    private ScheduledFuture<?> task;

    private LegTicker(EventLoop loop, long periodMillis) {
        this.loop = loop;
        this.periodMillis = periodMillis;
    }

    /** The ticker of the current loop; call on {@code loop}. */
    static LegTicker of(EventLoop loop, long periodMillis) {
        LegTicker t = ON_LOOP.get();
        if (t == null) {
            t = new LegTicker(loop, periodMillis);
            ON_LOOP.set(t);
        }
        return t;
    }

    /** Adds a leg; its timers run from the next tick until it is closed. On the loop. */
    void add(MediaLeg leg) {
        legs.add(leg);
        if (task == null) {
            task = loop.scheduleAtFixedRate(this::run, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    int size() {
        return legs.size();
    }

    boolean ticking() {
        return task != null;
    }

    private void run() {
        int i = 0;
        while (i < legs.size()) {
            MediaLeg leg = legs.get(i);
            if (leg.isClosed()) {
                int last = legs.size() - 1;
                legs.set(i, legs.get(last));
                legs.remove(last);
                continue;
            }
            try {
                leg.checkTimers(leg.clock().nanoTime());
            } catch (RuntimeException e) {
                log.warn("Timers of {} failed", leg, e);
            }
            i++;
        }
        if (legs.isEmpty() && task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
