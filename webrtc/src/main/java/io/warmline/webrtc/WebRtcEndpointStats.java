package io.warmline.webrtc;

/**
 * Counters of the shared WebRTC port since it started. Every dropped packet is counted under one reason.
 *
 * @param offersRefused offers answered with a refusal
 * @param legsAccepted legs answered
 * @param legsConnected legs that reached CONNECTED
 * @param legsEnded legs ended, for any reason
 * @param stunUnknownUfrag STUN requests naming no live leg (dropped)
 * @param stunBadIntegrity STUN requests with a wrong MESSAGE-INTEGRITY or peer ufrag (answered 401)
 * @param stunBadRequests STUN requests without USERNAME, integrity or fingerprint (answered 400)
 * @param stunOtherDrops other STUN dropped by the agent (malformed, bad FINGERPRINT, indications, responses)
 * @param dtlsUnknownAddress DTLS from an address no leg's checks validated
 * @param mediaUnknownAddress RTP/RTCP from an address no leg's checks validated
 * @param mediaNotReady RTP/RTCP for a leg not CONNECTED, or not from its nominated path
 * @param srtpAuthFailed SRTP/SRTCP whose authentication tag did not verify
 * @param srtpReplayed SRTP/SRTCP replays (RFC 3711 §3.3.2)
 * @param srtpOtherDrops SRTP/SRTCP malformed or beyond the stream bound
 * @param unknownPackets datagrams of no RFC 7983 kind, and ICE-TCP frames too long
 * @param dtlsFailures handshakes that failed
 * @param fingerprintMismatches of those, certificates that did not match the offer's fingerprint
 * @param sendDropped RTP given to send() before the leg was connected or after consent lapsed
 * @param handshakes handshakes measured (offer accepted → DTLS done on a validated path)
 * @param handshakeTotalNanos their summed duration
 * @param handshakeMaxNanos the longest
 * @param peersRefused datagrams and ICE-TCP connections from sources the peer filter refuses (dropped unread)
 * @param candidatesAccepted trickled candidates kept (RFC 8840 fragments)
 * @param candidatesRefused trickled candidates dropped: outside the peer filter, or beyond the per-leg bound
 * @param fragmentsRefused trickle and ICE-restart fragments refused (unreadable, another session's, late)
 * @param iceRestarts ICE restarts done (RFC 9725 §4.3.3)
 * @param consentLost legs ended because the browser stopped answering consent checks (RFC 7675 §5.1)
 */
public record WebRtcEndpointStats(long offersRefused, long legsAccepted, long legsConnected, long legsEnded,
        long stunUnknownUfrag, long stunBadIntegrity, long stunBadRequests, long stunOtherDrops,
        long dtlsUnknownAddress, long mediaUnknownAddress, long mediaNotReady, long srtpAuthFailed, long srtpReplayed,
        long srtpOtherDrops, long unknownPackets, long dtlsFailures, long fingerprintMismatches, long sendDropped,
        long handshakes, long handshakeTotalNanos, long handshakeMaxNanos, long peersRefused,
        long candidatesAccepted, long candidatesRefused, long fragmentsRefused, long iceRestarts,
        long consentLost) {

    /** All zero. */
    public static final WebRtcEndpointStats ZERO = new WebRtcEndpointStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * The counts since {@code baseline} (an earlier snapshot of the same port); the longest handshake is this
     * snapshot's, which cannot be taken apart.
     */
    public WebRtcEndpointStats since(WebRtcEndpointStats baseline) {
        return new WebRtcEndpointStats(offersRefused - baseline.offersRefused,
                legsAccepted - baseline.legsAccepted,
                legsConnected - baseline.legsConnected,
                legsEnded - baseline.legsEnded,
                stunUnknownUfrag - baseline.stunUnknownUfrag,
                stunBadIntegrity - baseline.stunBadIntegrity,
                stunBadRequests - baseline.stunBadRequests,
                stunOtherDrops - baseline.stunOtherDrops,
                dtlsUnknownAddress - baseline.dtlsUnknownAddress,
                mediaUnknownAddress - baseline.mediaUnknownAddress,
                mediaNotReady - baseline.mediaNotReady,
                srtpAuthFailed - baseline.srtpAuthFailed,
                srtpReplayed - baseline.srtpReplayed,
                srtpOtherDrops - baseline.srtpOtherDrops,
                unknownPackets - baseline.unknownPackets,
                dtlsFailures - baseline.dtlsFailures,
                fingerprintMismatches - baseline.fingerprintMismatches,
                sendDropped - baseline.sendDropped,
                handshakes - baseline.handshakes,
                handshakeTotalNanos - baseline.handshakeTotalNanos,
                handshakeMaxNanos,
                peersRefused - baseline.peersRefused,
                candidatesAccepted - baseline.candidatesAccepted,
                candidatesRefused - baseline.candidatesRefused,
                fragmentsRefused - baseline.fragmentsRefused,
                iceRestarts - baseline.iceRestarts,
                consentLost - baseline.consentLost);
    }

    /** Mean handshake duration in milliseconds, or 0 before the first. */
    public double meanHandshakeMillis() {
        return handshakes == 0 ? 0 : handshakeTotalNanos / 1e6 / handshakes;
    }
}
