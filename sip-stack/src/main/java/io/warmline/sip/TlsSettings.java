package io.warmline.sip;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * SIP over TLS (RFC 3261 §26.2): the node's certificate and key, and whom it trusts when it dials out over TLS.
 * {@link #toString()} never shows the passwords.
 *
 * <p>Inbound TLS does not ask for client certificates: carriers are admitted by the trunk's address list (and
 * digest where they challenge), as over UDP and TCP. Outbound TLS checks the trunk's certificate against the trust
 * store and its host name or IP address against the certificate's subjectAltName.
 *
 * @param keystore           PKCS#12 or JKS file with the node's private key and certificate chain
 * @param keystorePassword   password of the keystore and of its key
 * @param keystoreType       "PKCS12" or "JKS"; null detects the type from the file
 * @param truststore         certificates trusted for outbound TLS; null = the JVM's default trust store
 * @param truststorePassword password of the trust store, or null when it has none
 * @param handshakeTimeout   a TLS handshake not finished within this time is abandoned and the connection closed
 *                           (100 ms..60 s)
 */
public record TlsSettings(Path keystore, String keystorePassword, String keystoreType, Path truststore,
                          String truststorePassword, Duration handshakeTimeout) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    public TlsSettings(Path keystore, String keystorePassword) {
        this(keystore, keystorePassword, null, null, null, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    public TlsSettings {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(keystorePassword, "keystorePassword");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (keystoreType != null) {
            keystoreType = keystoreType.toUpperCase(Locale.ROOT);
            if (!keystoreType.equals("PKCS12") && !keystoreType.equals("JKS")) {
                throw new IllegalArgumentException("keystoreType must be PKCS12 or JKS: " + keystoreType);
            }
        }
        if (handshakeTimeout.toMillis() < 100 || handshakeTimeout.toMillis() > 60_000) {
            throw new IllegalArgumentException("handshakeTimeout must be within 100 ms..60 s: " + handshakeTimeout);
        }
    }

    @Override
    public String toString() {
        return "TlsSettings[keystore=" + keystore + ", keystorePassword=****, keystoreType="
                + (keystoreType == null ? "detect" : keystoreType) + ", truststore="
                + (truststore == null ? "JVM default" : truststore.toString()) + ", truststorePassword="
                + (truststorePassword == null ? "none" : "****") + ", handshakeTimeout=" + handshakeTimeout + "]";
    }
}
