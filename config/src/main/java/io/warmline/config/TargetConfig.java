package io.warmline.config;

import java.util.Objects;

/** A support line: the number to dial and the trunk to dial it through. */
public record TargetConfig(String name, String trunk, String number) {

    public TargetConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(trunk, "trunk");
        Objects.requireNonNull(number, "number");
    }
}
