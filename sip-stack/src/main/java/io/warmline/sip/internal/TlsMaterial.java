package io.warmline.sip.internal;

import io.warmline.sip.SipStartException;
import io.warmline.sip.TlsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS side of the stack, built once at start from {@link TlsSettings}: an {@link SSLContext} with the node's key
 * and the trust anchors, the protocol versions and cipher suites, and the RI properties that wire them in.
 *
 * <p>The RI (1.3.0-91) uses its blocking TLS transport by default: {@code TLSMessageProcessor} takes server sockets
 * and {@code IOHandler} client sockets from the stack's {@code NetworkLayer}. Its own {@code SslNetworkLayer} (built
 * from {@code javax.net.ssl.*} stack properties) trusts only the keystore when no trust store is given, does not
 * check the peer's name, and is silently skipped when the keystore cannot be read; and its
 * {@code DefaultSecurityManagerProvider} only feeds the NIO transport. So the stack gets {@link TlsNetworkLayer},
 * fed with this context, and no {@code javax.net.ssl.*} property is set anywhere. Immutable.
 */
public final class TlsMaterial {

    private static final Logger LOG = LoggerFactory.getLogger("io.warmline.sip");

    /** TLS 1.0 and 1.1 are deprecated (RFC 8996). */
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Forward-secret AEAD suites first; then CBC suites older SBCs still need; last TLS_RSA_WITH_AES_128_CBC_SHA,
     * which RFC 3261 §26.2.1 makes mandatory to implement. Suites the JDK lacks are left out.
     */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_RSA_WITH_AES_128_CBC_SHA");

    /**
     * Inbound TLS asks for no client certificate: carriers are admitted by the trunk's address list (and digest),
     * as over UDP and TCP. "Want" would make a handshake fail whenever a carrier offers a certificate our trust
     * store does not know.
     */
    static final String CLIENT_AUTH = "Disabled";

    private final SSLContext context;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final long handshakeTimeoutMs;

    private TlsMaterial(SSLContext context, List<String> protocols, List<String> cipherSuites, long handshakeTimeoutMs) {
        this.context = context;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
    }

    /** Reads the keystore and trust store. Error messages name the file, never a password. */
    public static TlsMaterial load(TlsSettings s) throws SipStartException {
        char[] password = s.keystorePassword().toCharArray();
        try {
            KeyStore keys = open(s.keystore(), s.keystoreType(), password, "keystore");
            X509Certificate leaf = checkKeyEntry(keys, s.keystore());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            try {
                kmf.init(keys, password);
            } catch (UnrecoverableKeyException e) {
                throw new SipStartException("TLS keystore " + s.keystore()
                        + ": the private key's password differs from the keystore password");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            if (s.truststore() != null) {
                char[] tp = s.truststorePassword() == null ? null : s.truststorePassword().toCharArray();
                KeyStore trust = open(s.truststore(), null, tp, "trust store");
                if (!hasCertificates(trust)) {
                    throw new SipStartException("TLS trust store " + s.truststore() + " holds no certificate");
                }
                tmf.init(trust);
            } else {
                tmf.init((KeyStore) null); // the JVM's default trust store
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            Set<String> supportedProtocols = Set.of(ctx.getSupportedSSLParameters().getProtocols());
            Set<String> supportedSuites = Set.of(ctx.getSupportedSSLParameters().getCipherSuites());
            List<String> protocols = PROTOCOLS.stream().filter(supportedProtocols::contains).toList();
            List<String> suites = CIPHER_SUITES.stream().filter(supportedSuites::contains).toList();
            if (protocols.isEmpty() || suites.isEmpty()) {
                throw new SipStartException("this JVM supports neither TLSv1.3 nor TLSv1.2 with the required suites");
            }
            LOG.info("TLS: certificate {} (valid until {}), keystore {}, trust {}, protocols {}",
                    leaf.getSubjectX500Principal().getName(), leaf.getNotAfter().toInstant(), s.keystore(),
                    s.truststore() == null ? "JVM default" : s.truststore(), protocols);
            return new TlsMaterial(ctx, protocols, suites, s.handshakeTimeout().toMillis());
        } catch (GeneralSecurityException e) {
            throw new SipStartException("TLS setup failed: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static KeyStore open(Path file, String type, char[] password, String what)
            throws SipStartException, GeneralSecurityException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new SipStartException("TLS " + what + " " + file + " does not exist or is not readable");
        }
        try {
            if (type == null) {
                return KeyStore.getInstance(file.toFile(), password); // detects PKCS#12 or JKS
            }
            KeyStore ks = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(file)) {
                ks.load(in, password);
            }
            return ks;
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new SipStartException("TLS " + what + " " + file + ": wrong password");
            }
            throw new SipStartException("TLS " + what + " " + file + " could not be read (damaged, or not "
                    + (type == null ? "PKCS#12 or JKS" : type) + "): " + e.getMessage());
        } catch (KeyStoreException e) {
            throw new SipStartException("TLS " + what + " " + file + " is neither PKCS#12 nor JKS");
        }
    }

    private static X509Certificate checkKeyEntry(KeyStore ks, Path file) throws SipStartException, KeyStoreException {
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.isKeyEntry(alias)) {
                Certificate[] chain = ks.getCertificateChain(alias);
                if (chain != null && chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                    Date now = new Date();
                    if (now.after(leaf.getNotAfter()) || now.before(leaf.getNotBefore())) {
                        LOG.warn("TLS certificate {} in {} is not valid now (valid {} .. {}); peers will refuse it",
                                leaf.getSubjectX500Principal().getName(), file, leaf.getNotBefore().toInstant(),
                                leaf.getNotAfter().toInstant());
                    }
                    return leaf;
                }
            }
        }
        throw new SipStartException("TLS keystore " + file + " holds no private key with a certificate");
    }

    private static boolean hasCertificates(KeyStore ks) throws KeyStoreException {
        for (String alias : Collections.list(ks.aliases())) {
            if (ks.getCertificate(alias) != null) {
                return true;
            }
        }
        return false;
    }

    /** The RI properties for TLS (names read from {@code SipStackImpl} in the 1.3.0-91 jar). */
    public void addStackProperties(Properties p) {
        p.setProperty("gov.nist.javax.sip.NETWORK_LAYER", TlsNetworkLayer.class.getName());
        // Despite the name, the RI applies these to its TLS server sockets as well as to client sockets.
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", String.join(",", protocols));
        // The RI's default list is TLS_RSA_WITH_AES_128_CBC_SHA and three 3DES/anonymous suites.
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES", String.join(",", cipherSuites));
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", CLIENT_AUTH);
        // A watchdog closes connections whose handshake has not finished in time, ms (the RI default: never).
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", Long.toString(handshakeTimeoutMs));
    }

    public SSLContext context() {
        return context;
    }

    public String[] protocols() {
        return protocols.toArray(String[]::new);
    }

    public String[] cipherSuites() {
        return cipherSuites.toArray(String[]::new);
    }
}
