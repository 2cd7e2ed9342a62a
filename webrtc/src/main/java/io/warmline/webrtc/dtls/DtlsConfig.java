package io.warmline.webrtc.dtls;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.warmline.webrtc.srtp.SrtpProfile;

/**
 * DTLS settings of one endpoint.
 *
 * @param handshakeTimeout   bound on a whole handshake, counted from {@link DtlsHandshake#start}
 * @param initialRetransmit  first retransmission timer, doubled on each expiry (RFC 6347 §4.2.4.1 suggests 1 s)
 * @param srtpProfiles       offered (client) or accepted (server) SRTP profiles, most preferred first
 * @param inboundQueueCapacity datagrams held for the handshake thread; more are dropped (the peer retransmits)
 * @param mtu                largest datagram we send; the handshake fragments to fit (RFC 6347 §4.1.1.1)
 */
public record DtlsConfig(Duration handshakeTimeout, Duration initialRetransmit, List<SrtpProfile> srtpProfiles,
                         int inboundQueueCapacity, int mtu) {

    /** Largest datagram accepted from the peer. */
    public static final int MAX_DATAGRAM = 2048;

    public static final DtlsConfig DEFAULT = new DtlsConfig(Duration.ofSeconds(10), Duration.ofSeconds(1),
            List.of(SrtpProfile.AES128_CM_HMAC_SHA1_80, SrtpProfile.AEAD_AES_128_GCM), 64, 1200);

    public DtlsConfig {
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(initialRetransmit, "initialRetransmit");
        srtpProfiles = List.copyOf(srtpProfiles);
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || handshakeTimeout.toMillis() > 120_000) {
            throw new IllegalArgumentException("handshakeTimeout must be in (0, 120 s]: " + handshakeTimeout);
        }
        if (initialRetransmit.toMillis() < 10 || initialRetransmit.toMillis() > 10_000) {
            throw new IllegalArgumentException("initialRetransmit must be in [10 ms, 10 s]: " + initialRetransmit);
        }
        if (srtpProfiles.isEmpty() || srtpProfiles.size() != srtpProfiles.stream().distinct().count()) {
            throw new IllegalArgumentException("srtpProfiles must be non-empty and distinct: " + srtpProfiles);
        }
        if (inboundQueueCapacity < 4 || inboundQueueCapacity > 4096) {
            throw new IllegalArgumentException("inboundQueueCapacity must be in [4, 4096]: " + inboundQueueCapacity);
        }
        if (mtu < 256 || mtu > MAX_DATAGRAM) {
            throw new IllegalArgumentException("mtu must be in [256, " + MAX_DATAGRAM + "]: " + mtu);
        }
    }

    public DtlsConfig withHandshakeTimeout(Duration timeout) {
        return new DtlsConfig(timeout, initialRetransmit, srtpProfiles, inboundQueueCapacity, mtu);
    }

    public DtlsConfig withInitialRetransmit(Duration retransmit) {
        return new DtlsConfig(handshakeTimeout, retransmit, srtpProfiles, inboundQueueCapacity, mtu);
    }

    public DtlsConfig withSrtpProfiles(List<SrtpProfile> profiles) {
        return new DtlsConfig(handshakeTimeout, initialRetransmit, profiles, inboundQueueCapacity, mtu);
    }
}
