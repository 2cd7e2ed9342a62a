package io.warmline.webrtc.sdp;

import java.util.Objects;

import java.util.List;

/**
 * What we put in an answer about ourselves: ICE credentials, our certificate's fingerprint, our host candidates and
 * the SSRC and CNAME we send with (RFC 7022 §4.2: a random CNAME per leg).
 */
public record LocalTransport(IceCredentials ice, DtlsFingerprint fingerprint, List<IceCandidate> candidates, long ssrc,
        String cname) {

    public LocalTransport {
        Objects.requireNonNull(ice, "ice");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(cname, "cname");
        candidates = List.copyOf(candidates);
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ssrc out of range: " + ssrc);
        }
        if (cname.isEmpty() || cname.length() > 64 || !cname.chars().allMatch(c -> c > ' ' && c < 0x7F)) {
            throw new IllegalArgumentException("cname must be 1-64 visible characters");
        }
    }
}
