package io.warmline.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A password or similar value. {@link #toString()} never shows it, so records holding a secret can be logged;
 * only {@link #reveal()} gives the value, to the code that has to use it.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }

    /** Compares in constant time, so equality checks do not leak the value through timing. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Secret other
                && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8),
                        other.value.getBytes(StandardCharsets.UTF_8));
    }

    /** Constant, so hash codes reveal nothing about the value; secrets are never used as map keys in bulk. */
    @Override
    public int hashCode() {
        return 0x5ec2e7;
    }
}
