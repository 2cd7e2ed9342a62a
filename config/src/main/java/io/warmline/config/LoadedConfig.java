package io.warmline.config;

import java.util.List;
import java.util.Objects;

/**
 * A valid config and the warnings found while loading it (each {@code file:line:col: path: message}; never
 * containing a secret). The caller decides how to show the warnings.
 */
public record LoadedConfig(WarmlineConfig config, List<String> warnings) {

    public LoadedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }
}
