package io.warmline.webrtc.dtls.internal;

import java.io.IOException;
import java.util.List;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import io.warmline.webrtc.dtls.DtlsFailure;
import io.warmline.webrtc.sdp.DtlsFingerprint;
import io.warmline.webrtc.srtp.SrtpKeys;
import io.warmline.webrtc.srtp.SrtpProfile;

/** The WebRTC rules both DTLS roles share: certificate check, SRTP profile choice, key export, our credentials. */
final class WebRtcTls {
    private WebRtcTls() {
    }

    /**
     * RFC 8122 §5 / RFC 5763 §5: the peer's end-entity certificate must hash to one of the SDP fingerprints. A
     * self-signed certificate is expected, so there is no chain to validate; possession of its key is proven by the
     * handshake's signature.
     */
    static void checkPeerCertificate(Certificate chain, PeerSettings settings) throws IOException {
        if (chain == null || chain.isEmpty()) {
            settings.report().fail(DtlsFailure.NO_PEER_CERTIFICATE, "the peer sent no certificate");
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        for (DtlsFingerprint expected : settings.remoteFingerprints()) {
            if (expected.matches(der)) {
                return;
            }
        }
        settings.report().fail(DtlsFailure.FINGERPRINT_MISMATCH,
                "the peer's certificate matches none of " + settings.remoteFingerprints());
        throw new TlsFatalAlert(AlertDescription.bad_certificate);
    }

    /** RFC 5764 §4.1.1: the server picks one of the client's profiles; we take our most preferred one offered. */
    static SrtpProfile choose(UseSRTPData offered, PeerSettings settings) throws IOException {
        if (offered != null) {
            for (SrtpProfile wanted : settings.srtpProfiles()) {
                for (int id : offered.getProtectionProfiles()) {
                    if (id == wanted.dtlsId()) {
                        return wanted;
                    }
                }
            }
        }
        settings.report().fail(DtlsFailure.NO_COMMON_SRTP_PROFILE,
                offered == null ? "the client sent no use_srtp extension" : "no SRTP profile in common");
        throw new TlsFatalAlert(AlertDescription.handshake_failure);
    }

    static int[] profileIds(List<SrtpProfile> profiles) {
        return profiles.stream().mapToInt(SrtpProfile::dtlsId).toArray();
    }

    /** RFC 5764 §4.2: keys come from the RFC 5705 exporter with label EXTRACTOR-dtls_srtp and no context. */
    static SrtpKeys exportKeys(TlsContext context, SrtpProfile profile, boolean localIsClient) {
        byte[] material = context.exportKeyingMaterial(ExporterLabel.dtls_srtp, null, profile.keyingMaterialLength());
        try {
            return SrtpKeys.fromKeyingMaterial(profile, localIsClient, material);
        } finally {
            java.util.Arrays.fill(material, (byte) 0);
        }
    }

    static TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto, PeerSettings settings)
            throws IOException {
        TlsCertificate certificate = crypto.createCertificate(settings.certificateDer());
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, settings.privateKey(),
                new Certificate(new TlsCertificate[] {certificate}),
                SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }
}
