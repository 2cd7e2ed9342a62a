package io.warmline.webrtc.dtls.internal;

import java.io.IOException;
import java.util.Hashtable;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import io.warmline.webrtc.dtls.DtlsFailure;
import io.warmline.webrtc.srtp.SrtpProfile;

/**
 * The DTLS 1.2 client of a WebRTC leg ({@code a=setup:active}): offers our SRTP profiles in {@code use_srtp}, checks
 * the server's certificate against the SDP fingerprint, authenticates with our ECDSA certificate. Confined to the
 * handshake thread.
 */
public final class WebRtcDtlsClient extends DefaultTlsClient {
    private static final int[] SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    private final BcTlsCrypto bcCrypto;
    private final PeerSettings settings;
    private SrtpProfile profile;

    public WebRtcDtlsClient(BcTlsCrypto crypto, PeerSettings settings) {
        super(crypto);
        this.bcCrypto = crypto;
        this.settings = settings;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES);
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return settings.handshakeTimeoutMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return settings.resendMillis();
    }

    @Override
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        TlsSRTPUtils.addUseSRTPExtension(extensions,
                new UseSRTPData(WebRtcTls.profileIds(settings.srtpProfiles()), TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    /** RFC 5764 §4.1.2: the server answers with exactly one of the profiles we offered. */
    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData chosen = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (chosen == null || chosen.getProtectionProfiles().length != 1) {
            settings.report().fail(DtlsFailure.NO_COMMON_SRTP_PROFILE,
                    chosen == null ? "the server did not accept use_srtp" : "the server chose several profiles");
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        int id = chosen.getProtectionProfiles()[0];
        profile = settings.srtpProfiles().stream().filter(p -> p.dtlsId() == id).findFirst().orElse(null);
        if (profile == null) {
            settings.report().fail(DtlsFailure.NO_COMMON_SRTP_PROFILE,
                    "the server chose an SRTP profile we did not offer: " + id);
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                WebRtcTls.checkPeerCertificate(serverCertificate.getCertificate(), settings);
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return WebRtcTls.signer(context, bcCrypto, settings);
            }
        };
    }

    @Override
    public void notifyAlertRaised(short level, short description, String message, Throwable cause) {
        settings.report().alertRaised(description);
    }

    @Override
    public void notifyAlertReceived(short level, short description) {
        settings.report().alertReceived(description);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        settings.report().cipherSuite(context.getSecurityParametersConnection().getCipherSuite());
        settings.report().keys(WebRtcTls.exportKeys(context, profile, true));
    }
}
