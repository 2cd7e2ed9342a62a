package io.warmline.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The node's TLS certificate and key, whom it trusts when it dials out over TLS, and how long a handshake may take.
 *
 * @param keystore           PKCS#12 or JKS file with the node's key and certificate chain
 * @param password           password of the keystore and of its key
 * @param keystoreType       "PKCS12" or "JKS"; null detects the type from the file
 * @param truststore         certificates trusted for outbound TLS; null = the JVM's default trust store
 * @param truststorePassword password of the trust store, or null when it has none
 * @param handshakeTimeout   a handshake not finished within this time is abandoned
 */
public record TlsConfig(Path keystore, Secret password, String keystoreType, Path truststore,
                        Secret truststorePassword, Duration handshakeTimeout) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    public TlsConfig {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        if (truststorePassword != null && truststore == null) {
            throw new IllegalArgumentException("truststorePassword without a truststore");
        }
    }

    public TlsConfig(Path keystore, Secret password) {
        this(keystore, password, null, null, null, DEFAULT_HANDSHAKE_TIMEOUT);
    }
}
