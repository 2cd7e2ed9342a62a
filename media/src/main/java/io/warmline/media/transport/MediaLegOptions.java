package io.warmline.media.transport;

import io.warmline.media.time.NanoClock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link MediaLeg}.
 *
 * @param noMediaTimeout how long without valid RTP before {@link RtpEndpoint.Listener#onNoMedia} (positive)
 * @param latchWindow how long after signalling a new RTP source may be learned (see {@link SourceLatch}; zero or
 *     positive)
 * @param clock time source for the watchdog, the latch window and RTCP timing
 * @param cname RTCP SDES CNAME (RFC 3550 §6.5.1), 1 to 255 bytes of UTF-8
 */
public record MediaLegOptions(Duration noMediaTimeout, Duration latchWindow, NanoClock clock, String cname) {

    public MediaLegOptions {
        Objects.requireNonNull(noMediaTimeout, "noMediaTimeout");
        Objects.requireNonNull(latchWindow, "latchWindow");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(cname, "cname");
        if (noMediaTimeout.isNegative() || noMediaTimeout.isZero()) {
            throw new IllegalArgumentException("noMediaTimeout must be positive: " + noMediaTimeout);
        }
        if (latchWindow.isNegative()) {
            throw new IllegalArgumentException("latchWindow must not be negative: " + latchWindow);
        }
        int length = cname.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (length < 1 || length > 255) {
            throw new IllegalArgumentException("cname must be 1..255 bytes of UTF-8, got " + length);
        }
    }
}
