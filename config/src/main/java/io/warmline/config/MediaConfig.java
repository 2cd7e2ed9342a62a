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
 */
public record MediaConfig(int rtpPortMin, int rtpPortMax, Duration noMediaTimeout, Duration latchWindow,
        int realtimePriority, int callLoops) {

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
    }

    /** Upper bound of {@code media.call-loops}: well past any core count a media node is given. */
    public static final int MAX_CALL_LOOPS = 256;

    /** The number of call loops to start: as configured, or one per available processor. */
    public int effectiveCallLoops() {
        return callLoops > 0 ? callLoops : Runtime.getRuntime().availableProcessors();
    }

    /** Media threads at normal priority, one call loop per processor. */
    public MediaConfig(int rtpPortMin, int rtpPortMax, Duration noMediaTimeout, Duration latchWindow) {
        this(rtpPortMin, rtpPortMax, noMediaTimeout, latchWindow, 0, 0);
    }
}
