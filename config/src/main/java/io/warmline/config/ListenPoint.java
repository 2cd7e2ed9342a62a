package io.warmline.config;

import java.util.Objects;

public record ListenPoint(Transport transport, HostPort address) {

    public ListenPoint {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
    }
}
