package io.warmline.webrtc.sdp;

import io.warmline.media.sdp.SessionDescription;
import java.util.Objects;

/**
 * Our answer to a browser offer and what it settled.
 *
 * @param localSetup our {@code a=setup} (PASSIVE or ACTIVE)
 * @param remoteIce the offerer's ICE credentials
 * @param remoteFingerprint the fingerprint the offerer's DTLS certificate must match
 */
public record WebRtcAnswer(SessionDescription description, AudioSelection audio, SetupRole localSetup,
        IceCredentials localIce, IceCredentials remoteIce, DtlsFingerprint remoteFingerprint) {

    public WebRtcAnswer {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(localSetup, "localSetup");
        Objects.requireNonNull(localIce, "localIce");
        Objects.requireNonNull(remoteIce, "remoteIce");
        Objects.requireNonNull(remoteFingerprint, "remoteFingerprint");
    }

    /** Whether we open the DTLS association (RFC 5763 §5: the active side is the DTLS client). */
    public boolean dtlsClient() {
        return localSetup.isDtlsClient();
    }

    /** The answer as sent, CRLF line ends. */
    public String sdp() {
        return description.encode();
    }
}
