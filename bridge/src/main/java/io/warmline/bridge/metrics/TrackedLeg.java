package io.warmline.bridge.metrics;

import io.netty.channel.EventLoop;
import java.util.function.Supplier;

/**
 * A live media leg whose quality and counters the meters read. Its owner calls {@link #ended} on the leg's loop
 * before closing the leg: the final sample goes into the quality histograms and the ended legs' totals.
 */
public final class TrackedLeg {
    final LegKind kind;
    final EventLoop loop;
    final Supplier<LegSample> probe;
    private final MediaTotals totals;
    /** Set on the leg's loop; read by snapshot tasks on the same loop. */
    boolean ended;

    TrackedLeg(LegKind kind, EventLoop loop, Supplier<LegSample> probe, MediaTotals totals) {
        this.kind = kind;
        this.loop = loop;
        this.probe = probe;
        this.totals = totals;
    }

    /** On the leg's loop, once (later calls are ignored). */
    public void ended() {
        if (ended) {
            return;
        }
        ended = true;
        totals.legEnded(this, probe.get());
    }
}
