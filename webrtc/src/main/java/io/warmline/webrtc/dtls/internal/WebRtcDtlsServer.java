package io.warmline.webrtc.dtls.internal;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

import io.warmline.webrtc.srtp.SrtpProfile;

/**
 * The DTLS 1.2 server of a WebRTC leg ({@code a=setup:passive}): ECDSA certificate, a client certificate demanded
 * and checked against the SDP fingerprint (RFC 5763 §5), {@code use_srtp} answered with one profile (RFC 5764 §4.1.1).
 * Confined to the handshake thread.
 */
public final class WebRtcDtlsServer extends DefaultTlsServer {
    private static final int[] SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    private final BcTlsCrypto bcCrypto;
    private final PeerSettings settings;
    private SrtpProfile profile;

    public WebRtcDtlsServer(BcTlsCrypto crypto, PeerSettings settings) {
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
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return WebRtcTls.signer(context, bcCrypto, settings);
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
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        profile = WebRtcTls.choose(TlsSRTPUtils.getUseSRTPExtension(clientExtensions), settings);
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        // No MKI: WebRTC never uses one (RFC 5764 §4.1.2 lets the server answer with an empty srtp_mki).
        TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profile.dtlsId()},
                TlsUtils.EMPTY_BYTES));
        return extensions;
    }

    /** The client must authenticate: its certificate is what the SDP fingerprint pins. */
    @Override
    public CertificateRequest getCertificateRequest() {
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        Vector<?> algorithms = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(types, algorithms, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        WebRtcTls.checkPeerCertificate(clientCertificate, settings);
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
        settings.report().keys(WebRtcTls.exportKeys(context, profile, false));
    }
}
