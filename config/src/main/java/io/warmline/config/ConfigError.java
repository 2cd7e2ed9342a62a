package io.warmline.config;

import java.util.Objects;

/**
 * One problem in a config file: where it is (1-based line and column), the dotted path of the key
 * ({@code trunks.carrier-a.outbound.address}, list items as {@code sip.listen[1]}) and what was expected.
 * An empty path means the file as a whole.
 */
public record ConfigError(String file, int line, int column, String path, String message) {

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:col: path: message}, or {@code file:line:col: message} for the file as a whole. */
    @Override
    public String toString() {
        String where = file + ":" + line + ":" + column + ": ";
        return path.isEmpty() ? where + message : where + path + ": " + message;
    }
}
