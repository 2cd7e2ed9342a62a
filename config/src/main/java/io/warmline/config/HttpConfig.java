package io.warmline.config;

import java.util.Objects;

public record HttpConfig(HostPort listen) {

    public HttpConfig {
        Objects.requireNonNull(listen, "listen");
    }
}
