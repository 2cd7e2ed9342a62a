package io.warmline.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * @param tls the keystore for TLS listen points, or null when none is configured
 * @param sessionExpires the Session-Expires this node asks for (RFC 4028 section 4)
 * @param minSe the smallest session interval accepted (RFC 4028 section 5, never below 90 s)
 */
public record SipConfig(List<ListenPoint> listen, TlsConfig tls, int maxMessageSize, Duration sessionExpires,
        Duration minSe, int maxCalls) {

    public SipConfig {
        listen = List.copyOf(listen);
        Objects.requireNonNull(sessionExpires, "sessionExpires");
        Objects.requireNonNull(minSe, "minSe");
    }
}
