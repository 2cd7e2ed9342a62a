package io.warmline.sip.internal;

/**
 * The running session timer of one dialog (RFC 4028 §10), in milliseconds of a caller-supplied clock.
 * The refresher refreshes at half the interval; either side sends BYE when no refresh succeeded by
 * expiry minus min(32 s, interval/3). Sans-IO and not thread-safe: owned by one leg.
 */
public final class SessionTimer {

    /** What {@link #poll} asks the owner to do. */
    public enum Action {
        NONE,
        /** Send a refresh re-INVITE now; call {@link #refreshed} on its 2xx. */
        REFRESH,
        /** The session expired: send BYE and end the leg. */
        EXPIRE
    }

    private long intervalMs;
    private boolean weRefresh;
    private long lastRefresh;
    private boolean refreshSent;
    private boolean expired;

    public SessionTimer(long intervalMs, boolean weRefresh, long nowMs) {
        refreshed(intervalMs, weRefresh, nowMs);
    }

    /** A refresh succeeded (a 2xx to a re-INVITE in either direction), with the interval it negotiated. */
    public void refreshed(long intervalMs, boolean weRefresh, long nowMs) {
        if (intervalMs <= 0) {
            throw new IllegalArgumentException("interval must be positive");
        }
        this.intervalMs = intervalMs;
        this.weRefresh = weRefresh;
        this.lastRefresh = nowMs;
        this.refreshSent = false;
    }

    public boolean weRefresh() {
        return weRefresh;
    }

    public long intervalMs() {
        return intervalMs;
    }

    /** The time at which {@link #poll} next has something to do; {@link Long#MAX_VALUE} once expired. */
    public long deadline() {
        if (expired) {
            return Long.MAX_VALUE;
        }
        if (weRefresh && !refreshSent) {
            return lastRefresh + intervalMs / 2;
        }
        return byeAt();
    }

    public Action poll(long nowMs) {
        if (expired) {
            return Action.NONE;
        }
        if (nowMs >= byeAt()) {
            expired = true;
            return Action.EXPIRE;
        }
        if (weRefresh && !refreshSent && nowMs >= lastRefresh + intervalMs / 2) {
            refreshSent = true;
            return Action.REFRESH;
        }
        return Action.NONE;
    }

    private long byeAt() {
        return lastRefresh + intervalMs - Math.min(32_000, intervalMs / 3);
    }
}
