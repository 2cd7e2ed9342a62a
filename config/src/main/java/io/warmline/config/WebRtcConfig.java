package io.warmline.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The WebRTC edge: one port shared by every WebRTC leg.
 *
 * @param addresses the host candidates' addresses (IP literals; every one is bound and advertised in answers)
 * @param port the UDP port, and the passive ICE-TCP port when {@code tcp}
 * @param tcp whether to offer a passive ICE-TCP candidate (RFC 6544) for visitors whose UDP is blocked
 * @param handshakeTimeout how long ICE and DTLS may take before a leg is given up
 * @param allowedPeers the networks browsers may reach the port from; empty allows every source (packets and ICE-TCP
 *     connections from elsewhere are dropped and counted, never answered)
 */
public record WebRtcConfig(List<InetAddress> addresses, int port, boolean tcp, Duration handshakeTimeout,
        List<Cidr> allowedPeers) {

    public static final int DEFAULT_PORT = 7882;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public WebRtcConfig {
        addresses = List.copyOf(addresses);
        allowedPeers = List.copyOf(allowedPeers);
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535");
        }
    }

    public WebRtcConfig(List<InetAddress> addresses, int port, boolean tcp, Duration handshakeTimeout) {
        this(addresses, port, tcp, handshakeTimeout, List.of());
    }

    /** Whether a packet or connection from {@code source} may reach the WebRTC port. */
    public boolean allowsPeer(InetAddress source) {
        if (allowedPeers.isEmpty()) {
            return true;
        }
        for (Cidr c : allowedPeers) {
            if (c.contains(source)) {
                return true;
            }
        }
        return false;
    }
}
