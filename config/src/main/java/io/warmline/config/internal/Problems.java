package io.warmline.config.internal;

import io.warmline.config.ConfigError;
import io.warmline.config.ConfigLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Errors and warnings collected while loading one file. Not thread-safe. */
public final class Problems {

    private final String file;
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigError> warnings = new ArrayList<>();

    public Problems(String file) {
        this.file = file;
    }

    public void error(int line, int column, String path, String message) {
        errors.add(new ConfigError(file, line, column, path, message));
    }

    /** Where {@code at} is in this file, for a check made later (see {@link ConfigLocation}). */
    public ConfigLocation location(YamlNode at, String path) {
        return new ConfigLocation(file, at.line(), at.column(), path);
    }

    public void error(YamlNode at, String path, String message) {
        error(at.line(), at.column(), path, message);
    }

    public void warn(YamlNode at, String path, String message) {
        warnings.add(new ConfigError(file, at.line(), at.column(), path, message));
    }

    /** A mark to pass to {@link #noErrorsSince}. */
    public int mark() {
        return errors.size();
    }

    public boolean noErrorsSince(int mark) {
        return errors.size() == mark;
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** Errors in file order (stable for errors at the same place). */
    public List<ConfigError> errors() {
        List<ConfigError> sorted = new ArrayList<>(errors);
        sorted.sort(Comparator.comparingInt(ConfigError::line).thenComparingInt(ConfigError::column));
        return sorted;
    }

    public List<String> warnings() {
        return warnings.stream().map(ConfigError::toString).toList();
    }
}
