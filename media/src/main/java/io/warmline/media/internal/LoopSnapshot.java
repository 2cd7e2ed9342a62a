package io.warmline.media.internal;

import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Takes a snapshot of loop-confined state: on the loop directly, off it by waiting (briefly) for the loop. */
public final class LoopSnapshot {

    private LoopSnapshot() {
    }

    /**
     * The snapshot taken on {@code loop}; taken on the calling thread when already on the loop, when the loop is
     * shutting down, or when the loop does not answer within a second.
     */
    public static <T> T take(EventLoop loop, Supplier<T> snapshot) {
        if (loop.inEventLoop() || loop.isShuttingDown()) {
            return snapshot.get();
        }
        try {
            return loop.submit(snapshot::get).get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return snapshot.get();
        } catch (Exception e) {
            return snapshot.get();
        }
    }
}
