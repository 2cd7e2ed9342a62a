package io.warmline.webrtc.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shared port's drop and life counters. Written from the port's event loop, the legs' loops and the handshake
 * pool, so each is a {@link LongAdder}: no lock, no contended cache line on the media path.
 */
public final class EndpointCounters {
    public final LongAdder offersRefused = new LongAdder();
    public final LongAdder peersRefused = new LongAdder();
    public final LongAdder legsAccepted = new LongAdder();
    public final LongAdder legsConnected = new LongAdder();
    public final LongAdder legsEnded = new LongAdder();
    public final LongAdder dtlsUnknownAddress = new LongAdder();
    public final LongAdder mediaUnknownAddress = new LongAdder();
    public final LongAdder mediaNotReady = new LongAdder();
    public final LongAdder srtpAuthFailed = new LongAdder();
    public final LongAdder srtpReplayed = new LongAdder();
    public final LongAdder srtpOtherDrops = new LongAdder();
    public final LongAdder unknownPackets = new LongAdder();
    public final LongAdder dtlsFailures = new LongAdder();
    public final LongAdder fingerprintMismatches = new LongAdder();
    public final LongAdder sendDropped = new LongAdder();
    public final LongAdder candidatesAccepted = new LongAdder();
    public final LongAdder candidatesRefused = new LongAdder();
    public final LongAdder fragmentsRefused = new LongAdder();
    public final LongAdder iceRestarts = new LongAdder();
    public final LongAdder handshakes = new LongAdder();
    public final LongAdder handshakeTotalNanos = new LongAdder();
    public final AtomicLong handshakeMaxNanos = new AtomicLong();

    public void handshake(long nanos) {
        handshakes.increment();
        handshakeTotalNanos.add(nanos);
        handshakeMaxNanos.accumulateAndGet(nanos, Math::max);
    }
}
