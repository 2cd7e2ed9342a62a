package io.warmline.bridge.call;

import io.warmline.media.time.NanoClock;
import java.net.InetAddress;
import java.time.Duration;

/** What every call of a node shares: where media binds, what SDP advertises, and the media timers. */
public record CallSettings(
        String advertisedAddress,
        InetAddress mediaBindAddress,
        Duration noMediaTimeout,
        Duration latchWindow,
        NanoClock clock) {}
