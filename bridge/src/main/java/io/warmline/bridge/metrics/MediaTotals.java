package io.warmline.bridge.metrics;

import io.netty.channel.EventLoop;
import io.warmline.media.bridge.BridgeStats;
import io.warmline.media.bridge.MediaBridge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media counters of every bridge and leg since the node started: those that ended (added up when they end, on
 * their loop) plus the live ones (sampled on their own loops when a scrape {@link #refresh}es, one task per loop).
 * The media path never touches this class except at a bridge's or leg's start and end.
 *
 * <p>A bridge or leg ending during a refresh may be missed by both halves for that one scrape; the published totals
 * never decrease (each is held at its previous value until the sum passes it), so counters stay monotonic and catch
 * up at the next scrape rather than counting anything twice.
 */
final class MediaTotals {
    private static final Logger log = LoggerFactory.getLogger(MediaTotals.class);

    /** The bridges' summed counters ({@link BridgeStats}). */
    enum BridgeCounter {
        TICKS(BridgeStats::ticks),
        SKIPPED_TICKS(BridgeStats::skippedTicks),
        LATE_TICKS(BridgeStats::lateTicks),
        FRAMES_DUE(BridgeStats::framesDue),
        FRAMES_SENT(BridgeStats::outputFrames),
        FRAMES_LATE(BridgeStats::lateOutputFrames),
        ENCODES(BridgeStats::encodes),
        SHARED_ENCODES(BridgeStats::sharedEncodes),
        CALLBACK_ERRORS(BridgeStats::callbackErrors);

        final ToLongFunction<BridgeStats> read;

        BridgeCounter(ToLongFunction<BridgeStats> read) {
            this.read = read;
        }
    }

    /** The legs' summed counters ({@link LegSample}), per {@link LegKind}. */
    enum LegCounter {
        JITTER_LATE(LegSample::jitterLate),
        JITTER_LOST(LegSample::jitterLost),
        JITTER_DISCARDED(LegSample::jitterDiscarded),
        CONCEALED(LegSample::concealedFrames),
        MALFORMED(LegSample::malformed);

        final ToLongFunction<LegSample> read;

        LegCounter(ToLongFunction<LegSample> read) {
            this.read = read;
        }
    }

    /** What the meters read: replaced as a whole by each refresh. */
    record Published(long[] bridge, long[][] leg, int liveBridges, int[] liveLegs, int poorLegs,
            double maxTickLatenessMillis) {
        static Published empty() {
            return new Published(new long[BridgeCounter.values().length],
                    new long[LegKind.values().length][LegCounter.values().length], 0,
                    new int[LegKind.values().length], 0, 0);
        }
    }

    private final Set<TrackedBridge> bridges = ConcurrentHashMap.newKeySet();
    private final Set<TrackedLeg> legs = ConcurrentHashMap.newKeySet();
    private final LongAdder[] closedBridge = adders(BridgeCounter.values().length);
    private final LongAdder[][] endedLeg = new LongAdder[LegKind.values().length][];
    private final Consumer<LegSample> onLegEnded;
    private final Duration sampleTimeout;
    private volatile Published published = Published.empty();

    /**
     * @param onLegEnded given each ended leg's final sample, on the leg's loop
     * @param sampleTimeout how long a refresh waits for a loop; a loop that does not answer keeps its share of the
     *     previous figures
     */
    MediaTotals(Consumer<LegSample> onLegEnded, Duration sampleTimeout) {
        this.onLegEnded = onLegEnded;
        this.sampleTimeout = sampleTimeout;
        for (int k = 0; k < endedLeg.length; k++) {
            endedLeg[k] = adders(LegCounter.values().length);
        }
    }

    TrackedBridge track(MediaBridge bridge) {
        TrackedBridge t = new TrackedBridge(bridge, this);
        bridges.add(t);
        return t;
    }

    TrackedLeg track(LegKind kind, EventLoop loop, Supplier<LegSample> probe) {
        TrackedLeg t = new TrackedLeg(kind, loop, probe, this);
        legs.add(t);
        return t;
    }

    void bridgeClosed(TrackedBridge t, BridgeStats last) {
        for (BridgeCounter c : BridgeCounter.values()) {
            closedBridge[c.ordinal()].add(c.read.applyAsLong(last));
        }
        bridges.remove(t);
    }

    void legEnded(TrackedLeg t, LegSample last) {
        legs.remove(t);
        LongAdder[] sums = endedLeg[t.kind.ordinal()];
        for (LegCounter c : LegCounter.values()) {
            sums[c.ordinal()].add(c.read.applyAsLong(last));
        }
        try {
            onLegEnded.accept(last);
        } catch (RuntimeException e) {
            log.warn("Recording a leg's quality failed", e);
        }
    }

    Published published() {
        return published;
    }

    /**
     * Samples the live bridges and legs on their loops (without blocking the caller) and publishes the new totals
     * on {@code publishOn}.
     */
    CompletionStage<Published> refresh(Executor publishOn) {
        // The ended halves first: whatever ends after this is skipped by its loop's task (its flag is set there).
        long[] bridgeBase = sums(closedBridge);
        long[][] legBase = new long[endedLeg.length][];
        for (int k = 0; k < endedLeg.length; k++) {
            legBase[k] = sums(endedLeg[k]);
        }
        Map<EventLoop, List<Object>> byLoop = new HashMap<>();
        for (TrackedBridge b : bridges) {
            byLoop.computeIfAbsent(b.bridge.eventLoop(), l -> new ArrayList<>()).add(b);
        }
        for (TrackedLeg l : legs) {
            byLoop.computeIfAbsent(l.loop, x -> new ArrayList<>()).add(l);
        }
        List<CompletableFuture<LoopSample>> tasks = new ArrayList<>(byLoop.size());
        for (Map.Entry<EventLoop, List<Object>> e : byLoop.entrySet()) {
            tasks.add(sampleOn(e.getKey(), e.getValue()));
        }
        return CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new))
                .handleAsync((ok, failure) -> publish(bridgeBase, legBase, tasks), publishOn);
    }

    /** The live members of one loop, sampled on it; an empty sample when the loop does not answer in time. */
    private CompletableFuture<LoopSample> sampleOn(EventLoop loop, List<Object> members) {
        if (loop.isShuttingDown() || loop.inEventLoop()) {
            return CompletableFuture.completedFuture(sample(members));
        }
        CompletableFuture<LoopSample> f = new CompletableFuture<>();
        try {
            loop.execute(() -> f.complete(sample(members)));
        } catch (RuntimeException e) {
            f.complete(null);
        }
        return f.completeOnTimeout(null, sampleTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private record LoopSample(List<BridgeStats> bridges, List<LegSample> legs) {}

    private static LoopSample sample(List<Object> members) {
        List<BridgeStats> b = new ArrayList<>();
        List<LegSample> l = new ArrayList<>();
        for (Object m : members) {
            try {
                if (m instanceof TrackedBridge t && !t.closed) {
                    b.add(t.bridge.stats());
                } else if (m instanceof TrackedLeg t && !t.ended) {
                    l.add(t.probe.get());
                }
            } catch (RuntimeException e) {
                log.debug("Sampling media counters failed", e);
            }
        }
        return new LoopSample(b, l);
    }

    private synchronized Published publish(long[] bridgeBase, long[][] legBase,
            List<CompletableFuture<LoopSample>> tasks) {
        long[] bridge = bridgeBase.clone();
        long[][] leg = new long[legBase.length][];
        for (int k = 0; k < leg.length; k++) {
            leg[k] = legBase[k].clone();
        }
        int liveBridges = 0;
        int[] liveLegs = new int[LegKind.values().length];
        int poor = 0;
        double maxLateness = 0;
        for (CompletableFuture<LoopSample> t : tasks) {
            LoopSample s = t.getNow(null);
            if (s == null) {
                continue;
            }
            for (BridgeStats b : s.bridges()) {
                liveBridges++;
                maxLateness = Math.max(maxLateness, b.maxTickLatenessMillis());
                for (BridgeCounter c : BridgeCounter.values()) {
                    bridge[c.ordinal()] += c.read.applyAsLong(b);
                }
            }
            for (LegSample l : s.legs()) {
                liveLegs[l.kind().ordinal()]++;
                if (l.hasMedia() && l.mos() < LegSample.POOR_MOS) {
                    poor++;
                }
                long[] sums = leg[l.kind().ordinal()];
                for (LegCounter c : LegCounter.values()) {
                    sums[c.ordinal()] += c.read.applyAsLong(l);
                }
            }
        }
        Published previous = published;
        for (int i = 0; i < bridge.length; i++) {
            bridge[i] = Math.max(bridge[i], previous.bridge()[i]);
        }
        for (int k = 0; k < leg.length; k++) {
            for (int i = 0; i < leg[k].length; i++) {
                leg[k][i] = Math.max(leg[k][i], previous.leg()[k][i]);
            }
        }
        Published p = new Published(bridge, leg, liveBridges, liveLegs, poor, maxLateness);
        published = p;
        return p;
    }

    private static long[] sums(LongAdder[] adders) {
        long[] s = new long[adders.length];
        for (int i = 0; i < adders.length; i++) {
            s[i] = adders[i].sum();
        }
        return s;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
