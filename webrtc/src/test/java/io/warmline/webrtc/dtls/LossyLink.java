package io.warmline.webrtc.dtls;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Two in-memory endpoints joined by a datagram link that drops a deterministic share of datagrams in each direction
 * (the i-th datagram's fate depends only on i, the direction and the seed). Each endpoint has a single-threaded
 * "event loop" on which its datagrams are delivered, as the Netty edge would.
 */
final class LossyLink implements AutoCloseable {
    final ExecutorService loopA = Executors.newSingleThreadExecutor(r -> thread(r, "loop-a"));
    final ExecutorService loopB = Executors.newSingleThreadExecutor(r -> thread(r, "loop-b"));
    final AtomicLong droppedAtoB = new AtomicLong();
    final AtomicLong droppedBtoA = new AtomicLong();
    /** Decides the fate of the i-th datagram of a direction (1: A to B, 2: B to A). */
    interface Loss {
        boolean drop(int direction, int index);
    }

    private final Loss loss;
    private final AtomicInteger indexAtoB = new AtomicInteger();
    private final AtomicInteger indexBtoA = new AtomicInteger();
    volatile Consumer<byte[]> toA = d -> { };
    volatile Consumer<byte[]> toB = d -> { };

    LossyLink(int lossPercent, long seed) {
        this.loss = (direction, index) -> hashedDrop(lossPercent, seed, direction, index);
    }

    LossyLink(Loss loss) {
        this.loss = loss;
    }

    /** Sender for endpoint A: delivers to B on B's loop unless dropped. */
    Consumer<byte[]> senderA() {
        return d -> {
            if (loss.drop(1, indexAtoB.getAndIncrement())) {
                droppedAtoB.incrementAndGet();
            } else {
                loopB.execute(() -> toB.accept(d));
            }
        };
    }

    Consumer<byte[]> senderB() {
        return d -> {
            if (loss.drop(2, indexBtoA.getAndIncrement())) {
                droppedBtoA.incrementAndGet();
            } else {
                loopA.execute(() -> toA.accept(d));
            }
        };
    }

    private static boolean hashedDrop(int lossPercent, long seed, int direction, int index) {
        long x = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + direction;
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        return Math.floorMod(x, 100) < lossPercent;
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws InterruptedException {
        loopA.shutdownNow();
        loopB.shutdownNow();
        loopA.awaitTermination(5, TimeUnit.SECONDS);
        loopB.awaitTermination(5, TimeUnit.SECONDS);
    }
}
