package io.warmline.bridge.internal;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Lets a drain thread wait, bounded, until a set of live things (calls, conversations) has emptied. */
public final class Quiescence {

    /** Wakes the waiters so they look again; call after removing something. */
    public synchronized void signal() {
        notifyAll();
    }

    /**
     * Blocks the caller (a drain thread, never an event loop) until {@code empty} holds or {@code limit} has passed.
     *
     * @return whether it holds
     */
    public synchronized boolean await(BooleanSupplier empty, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!empty.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return empty.getAsBoolean();
            }
        }
        return true;
    }
}
