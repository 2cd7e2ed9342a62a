package io.warmline.config;

import java.util.Objects;

/** Calls in to a number matching {@code number} go to the target named {@code target}. */
public record InboundRoute(NumberPattern number, String target) {

    public InboundRoute {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(target, "target");
    }
}
