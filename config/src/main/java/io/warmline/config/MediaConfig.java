package io.warmline.config;

import java.time.Duration;
import java.util.Objects;

/**
 * @param rtpPortMin first RTP port (even, RFC 3550 section 11)
 * @param rtpPortMax last RTP port, inclusive
 * @param noMediaTimeout a leg receiving no media for this long is hung up
 * @param latchWindow how long after signalling the RTP source may be learned (symmetric RTP)
 * @param realtimePriority SCHED_RR priority (1..99) of the threads that run media ticks and packets; 0 leaves them at
 *     normal priority
 * @param callLoops event loops that own the calls' sockets and run their media ticks; 0 means one per available
 *     processor
 * @param warmUpSeconds how long the node runs its media path on self-calls before it says it is ready (0 = no
 *     warm-up); see {@link #DEFAULT_WARM_UP_SECONDS}
 * @param transport the Netty transport of the node's loops and sockets
 * @param transportAt where {@code transport} was set, or null when it is the default
 */
public record MediaConfig(int rtpPortMin, int rtpPortMax, Duration noMediaTimeout, Duration latchWindow,
        int realtimePriority, int callLoops, int warmUpSeconds, MediaTransportMode transport,
        ConfigLocation transportAt) {

    /** The longest warm-up accepted. */
    public static final int MAX_WARM_UP_SECONDS = 120;
    /**
     * The default media warm-up at start: the least media before the node waits, with the media still flowing, for
     * its compilers to go idle. In 30-leg runs on a 2-core machine 5 s gave the same window as 15 s (JIT 0.065
     * against 0.10 cores, 383 against 348-370 C2 compiles after ready) and was ready 8-10 s sooner
     * (docs/performance.md, "Media warm-up at start").
     */
    public static final int DEFAULT_WARM_UP_SECONDS = 5;

    public MediaConfig {
        if (rtpPortMin < 0 || rtpPortMax > 65535 || rtpPortMin > rtpPortMax) {
            throw new IllegalArgumentException("RTP port range " + rtpPortMin + "-" + rtpPortMax);
        }
        Objects.requireNonNull(noMediaTimeout, "noMediaTimeout");
        Objects.requireNonNull(latchWindow, "latchWindow");
        if (realtimePriority < 0 || realtimePriority > 99) {
            throw new IllegalArgumentException("realtime priority " + realtimePriority);
        }
        if (callLoops < 0 || callLoops > MAX_CALL_LOOPS) {
            throw new IllegalArgumentException("call loops " + callLoops);
        }
        if (warmUpSeconds < 0 || warmUpSeconds > MAX_WARM_UP_SECONDS) {
            throw new IllegalArgumentException("warm-up seconds " + warmUpSeconds);
        }
        Objects.requireNonNull(transport, "transport");
    }

    /** The transport chosen by the host ({@link MediaTransportMode#AUTO}). */
    public MediaConfig(int rtpPortMin, int rtpPortMax, Duration noMediaTimeout, Duration latchWindow,
            int realtimePriority, int callLoops, int warmUpSeconds) {
        this(rtpPortMin, rtpPortMax, noMediaTimeout, latchWindow, realtimePriority, callLoops, warmUpSeconds,
                MediaTransportMode.AUTO, null);
    }

    /** Upper bound of {@code media.call-loops}: well past any core count a media node is given. */
    public static final int MAX_CALL_LOOPS = 256;

    /** The number of call loops to start: as configured, or one per available processor. */
    public int effectiveCallLoops() {
        return callLoops > 0 ? callLoops : Runtime.getRuntime().availableProcessors();
    }

    /** With the default warm-up. */
    public MediaConfig(int rtpPortMin, int rtpPortMax, Duration noMediaTimeout, Duration latchWindow,
            int realtimePriority, int callLoops) {
        this(rtpPortMin, rtpPortMax, noMediaTimeout, latchWindow, realtimePriority, callLoops,
                DEFAULT_WARM_UP_SECONDS);
    }

    /** Media threads at normal priority, one call loop per processor, the default warm-up. */
    public MediaConfig(int rtpPortMin, int rtpPortMax, Duration noMediaTimeout, Duration latchWindow) {
        this(rtpPortMin, rtpPortMax, noMediaTimeout, latchWindow, 0, 0);
    }
}
