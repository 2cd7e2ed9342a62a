package io.warmline.bridge.auth;

import io.warmline.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API keys of the company backends allowed to call the control API. Only SHA-256 digests of the keys are kept;
 * a presented key is hashed and compared with every configured digest in constant time, so neither the match nor
 * its position leaks through timing. Keys are never logged; callers log the key's configured name. Thread-safe
 * (immutable).
 */
public final class ApiKeys {
    /** A presented credential longer than this is refused before hashing (bounded input). */
    static final int MAX_KEY_LENGTH = 512;

    private record Entry(String name, byte[] digest) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** {@code keys}: key name → secret, as configured ({@code api.keys.<name>.key-env}). */
    public static ApiKeys of(Map<String, Secret> keys) {
        List<Entry> entries = new ArrayList<>(keys.size());
        keys.forEach((name, secret) -> entries.add(new Entry(name, sha256(secret.reveal()))));
        return new ApiKeys(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    /** The name of the key {@code presented} matches, or empty. Every configured key is compared every time. */
    public Optional<String> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        String match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest) & match == null) {
                match = e.name;
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiKeys" + entries.stream().map(Entry::name).toList();
    }
}
