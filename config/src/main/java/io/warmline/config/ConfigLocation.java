package io.warmline.config;

import java.util.Objects;

/**
 * Where a value was read: file, 1-based line and column, dotted key path. Kept for values that can only be checked
 * when the node starts (e.g. whether the host has native epoll), so that the refusal names the line like any other
 * config error.
 */
public record ConfigLocation(String file, int line, int column, String path) {

    public ConfigLocation {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
    }

    /** A config error at this location. */
    public ConfigError error(String message) {
        return new ConfigError(file, line, column, path, message);
    }
}
