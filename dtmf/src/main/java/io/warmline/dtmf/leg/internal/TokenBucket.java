package io.warmline.dtmf.leg.internal;

/** A token bucket driven by the caller's clock. Not thread-safe. */
public final class TokenBucket {

    private final long capacity;
    private final long nanosPerToken;
    private long tokens;
    private long lastNanos;

    public TokenBucket(int capacity, int perSecond, long nowNanos) {
        this.capacity = capacity;
        this.nanosPerToken = 1_000_000_000L / perSecond;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Takes {@code n} tokens if that many are there; else takes none. */
    public boolean tryTake(int n, long nowNanos) {
        long earned = (nowNanos - lastNanos) / nanosPerToken;
        if (earned > 0) {
            tokens = Math.min(capacity, tokens + earned);
            lastNanos += earned * nanosPerToken;
        }
        if (tokens >= capacity) {
            lastNanos = nowNanos;
        }
        if (n > tokens) {
            return false;
        }
        tokens -= n;
        return true;
    }

    /** When {@code n} tokens will be there, for a retry hint. */
    public long availableAtNanos(int n) {
        long missing = Math.max(0, n - tokens);
        return lastNanos + missing * nanosPerToken;
    }
}
