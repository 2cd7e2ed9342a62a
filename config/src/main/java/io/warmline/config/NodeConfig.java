package io.warmline.config;

import java.time.Duration;
import java.util.Objects;

/**
 * @param advertisedAddress the address put in SDP {@code c=}/{@code o=} and the SIP Contact (an IP literal,
 *     IPv6 without brackets, or a host name)
 * @param drainTime how long calls may continue after SIGTERM
 */
public record NodeConfig(String advertisedAddress, Duration drainTime) {

    public NodeConfig {
        Objects.requireNonNull(advertisedAddress, "advertisedAddress");
        Objects.requireNonNull(drainTime, "drainTime");
    }
}
