package io.warmline.webrtc.dtls.internal;

import java.util.List;

import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

import io.warmline.webrtc.sdp.DtlsFingerprint;
import io.warmline.webrtc.srtp.SrtpProfile;

/** What a BouncyCastle peer of one handshake needs to know. */
public record PeerSettings(List<DtlsFingerprint> remoteFingerprints, byte[] certificateDer,
                           ECPrivateKeyParameters privateKey, List<SrtpProfile> srtpProfiles, int handshakeTimeoutMillis,
                           int resendMillis, HandshakeReport report) {
}
