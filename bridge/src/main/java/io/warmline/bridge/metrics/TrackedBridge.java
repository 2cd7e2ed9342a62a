package io.warmline.bridge.metrics;

import io.warmline.media.bridge.BridgeStats;
import io.warmline.media.bridge.MediaBridge;

/**
 * A live {@link MediaBridge} whose counters the media meters sum. Its owner calls {@link #closed} with the bridge's
 * last snapshot when it closes the bridge; from then on those counts are kept in the closed bridges' totals.
 */
public final class TrackedBridge {
    final MediaBridge bridge;
    private final MediaTotals totals;
    /** Set on the bridge's loop; read by snapshot tasks on the same loop. */
    boolean closed;

    TrackedBridge(MediaBridge bridge, MediaTotals totals) {
        this.bridge = bridge;
        this.totals = totals;
    }

    /** On the bridge's loop, once (later calls are ignored): {@code last} is the bridge's final snapshot. */
    public void closed(BridgeStats last) {
        if (closed) {
            return;
        }
        closed = true;
        totals.bridgeClosed(this, last);
    }
}
