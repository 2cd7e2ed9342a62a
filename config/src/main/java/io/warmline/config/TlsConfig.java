package io.warmline.config;

import java.nio.file.Path;
import java.util.Objects;

/** A PKCS#12 (or JKS) keystore holding the node's TLS certificate and key. */
public record TlsConfig(Path keystore, Secret password) {

    public TlsConfig {
        Objects.requireNonNull(keystore, "keystore");
        Objects.requireNonNull(password, "password");
    }
}
