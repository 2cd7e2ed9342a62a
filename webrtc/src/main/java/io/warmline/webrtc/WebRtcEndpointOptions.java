package io.warmline.webrtc;

import io.warmline.media.time.NanoClock;
import io.warmline.webrtc.dtls.DtlsConfig;
import io.warmline.webrtc.ice.IceLiteOptions;
import io.warmline.webrtc.sdp.WebRtcAnswerer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Settings of the shared WebRTC port.
 *
 * @param addresses the local addresses to bind and advertise as host candidates, IPv4 and IPv6 alike (a wildcard
 *     address cannot be advertised)
 * @param udpPort the UDP port on every address; 0 picks one (the first address's, reused for the others when free)
 * @param tcpPort the passive ICE-TCP port (RFC 6544); 0 picks one, -1 disables ICE-TCP
 * @param handshakeTimeout bound from the accepted offer to DTLS done on a validated path (the leg connected); the
 *     leg ends after it
 * @param handshakeThreads threads for BouncyCastle's blocking DTLS handshakes
 * @param codecPreference audio codecs in order of preference ({@link WebRtcAnswerer#DEFAULT_CODECS})
 * @param clock the time of the ICE agent and of the legs' consent and handshake measurements
 * @param peerFilter which source addresses may reach the port; packets and ICE-TCP connections from others are dropped
 *     and counted before anything reads or answers them
 */
public record WebRtcEndpointOptions(List<InetAddress> addresses, int udpPort, int tcpPort, Duration handshakeTimeout,
        int handshakeThreads, IceLiteOptions ice, DtlsConfig dtls, List<String> codecPreference, NanoClock clock,
        Predicate<InetAddress> peerFilter) {

    public WebRtcEndpointOptions {
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(dtls, "dtls");
        codecPreference = List.copyOf(codecPreference);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(peerFilter, "peerFilter");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one address is needed");
        }
        for (InetAddress a : addresses) {
            if (a.isAnyLocalAddress()) {
                throw new IllegalArgumentException("a wildcard address cannot be a candidate: " + a);
            }
        }
        if (udpPort < 0 || udpPort > 65535 || tcpPort < -1 || tcpPort > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive");
        }
        if (handshakeThreads < 1 || handshakeThreads > 64) {
            throw new IllegalArgumentException("handshakeThreads must be 1..64");
        }
        if (codecPreference.isEmpty()) {
            throw new IllegalArgumentException("at least one codec is needed");
        }
    }

    /**
     * The given addresses on ephemeral ports, ICE-TCP on, a 10 s handshake bound, four handshake threads: a
     * BouncyCastle handshake holds its thread while it waits for the browser's next flight, so with two threads a
     * ramp's third handshake waited several milliseconds for one.
     */
    public static WebRtcEndpointOptions on(List<InetAddress> addresses) {
        return new WebRtcEndpointOptions(addresses, 0, 0, Duration.ofSeconds(10), 4, IceLiteOptions.defaults(),
                DtlsConfig.DEFAULT, WebRtcAnswerer.DEFAULT_CODECS, NanoClock.SYSTEM, source -> true);
    }

    public WebRtcEndpointOptions withPorts(int udp, int tcp) {
        return new WebRtcEndpointOptions(addresses, udp, tcp, handshakeTimeout, handshakeThreads, ice, dtls,
                codecPreference, clock, peerFilter);
    }

    public WebRtcEndpointOptions withHandshakeTimeout(Duration timeout) {
        return new WebRtcEndpointOptions(addresses, udpPort, tcpPort, timeout, handshakeThreads, ice, dtls,
                codecPreference, clock, peerFilter);
    }

    public WebRtcEndpointOptions withIce(IceLiteOptions iceOptions) {
        return new WebRtcEndpointOptions(addresses, udpPort, tcpPort, handshakeTimeout, handshakeThreads, iceOptions,
                dtls, codecPreference, clock, peerFilter);
    }

    public WebRtcEndpointOptions withCodecPreference(List<String> codecs) {
        return new WebRtcEndpointOptions(addresses, udpPort, tcpPort, handshakeTimeout, handshakeThreads, ice, dtls,
                codecs, clock, peerFilter);
    }

    /** Only sources {@code filter} accepts may reach the port (e.g. the networks browsers connect from). */
    public WebRtcEndpointOptions withPeerFilter(Predicate<InetAddress> filter) {
        return new WebRtcEndpointOptions(addresses, udpPort, tcpPort, handshakeTimeout, handshakeThreads, ice, dtls,
                codecPreference, clock, filter);
    }
}
