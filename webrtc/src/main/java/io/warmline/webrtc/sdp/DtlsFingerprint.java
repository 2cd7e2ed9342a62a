package io.warmline.webrtc.sdp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate fingerprint as {@code a=fingerprint} carries it (RFC 8122 §5): a hash function name and the digest of
 * the DER certificate. Immutable.
 */
public final class DtlsFingerprint {

    private final String hashFunction;
    private final byte[] digest;

    /**
     * @param hashFunction one of {@code sha-1 sha-224 sha-256 sha-384 sha-512} (lower case, RFC 8122 §5)
     * @param digest the digest, of the length the hash function produces
     */
    public DtlsFingerprint(String hashFunction, byte[] digest) {
        Objects.requireNonNull(hashFunction, "hashFunction");
        Objects.requireNonNull(digest, "digest");
        String h = hashFunction.toLowerCase(Locale.ROOT);
        int length = digestLength(h);
        if (length < 0) {
            throw new IllegalArgumentException("unsupported hash function: " + hashFunction);
        }
        if (digest.length != length) {
            throw new IllegalArgumentException(h + " digest must be " + length + " bytes, is " + digest.length);
        }
        this.hashFunction = h;
        this.digest = digest.clone();
    }

    /** The fingerprint of a DER-encoded certificate with {@code hashFunction}. */
    public static DtlsFingerprint of(String hashFunction, byte[] derCertificate) {
        String h = hashFunction.toLowerCase(Locale.ROOT);
        if (digestLength(h) < 0) {
            throw new IllegalArgumentException("unsupported hash function: " + hashFunction);
        }
        try {
            return new DtlsFingerprint(h, MessageDigest.getInstance(h.toUpperCase(Locale.ROOT)).digest(derCertificate));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + h, e);
        }
    }

    /**
     * Parses the value of {@code a=fingerprint}: {@code <hash-func> SP <hex>:<hex>...}, hex in either case.
     * Empty when malformed or when the hash function is not one we can check (RFC 8122 §5: e.g. md5).
     */
    public static Optional<DtlsFingerprint> parse(String value) {
        if (value == null || value.length() > 256) {
            return Optional.empty();
        }
        String v = value.trim();
        int space = v.indexOf(' ');
        if (space <= 0) {
            return Optional.empty();
        }
        String h = v.substring(0, space).toLowerCase(Locale.ROOT);
        int length = digestLength(h);
        String hex = v.substring(space + 1).trim();
        if (length < 0 || hex.length() != length * 3 - 1) {
            return Optional.empty();
        }
        byte[] digest = new byte[length];
        for (int i = 0; i < length; i++) {
            int hi = Character.digit(hex.charAt(i * 3), 16);
            int lo = Character.digit(hex.charAt(i * 3 + 1), 16);
            if (hi < 0 || lo < 0 || (i < length - 1 && hex.charAt(i * 3 + 2) != ':')) {
                return Optional.empty();
            }
            digest[i] = (byte) (hi << 4 | lo);
        }
        return Optional.of(new DtlsFingerprint(h, digest));
    }

    /** Digest length in bytes for a supported hash function, else -1. */
    static int digestLength(String hashFunction) {
        return switch (hashFunction) {
            case "sha-1" -> 20;
            case "sha-224" -> 28;
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> -1;
        };
    }

    public String hashFunction() {
        return hashFunction;
    }

    public byte[] digest() {
        return digest.clone();
    }

    /** Whether {@code derCertificate} hashes to this fingerprint (constant time in the digest). */
    public boolean matches(byte[] derCertificate) {
        return MessageDigest.isEqual(of(hashFunction, derCertificate).digest, digest);
    }

    /** The attribute value, upper-case hex as browsers write it: {@code sha-256 AB:CD:...}. */
    @Override
    public String toString() {
        String hex = HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        return hashFunction + " " + hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint f && f.hashFunction.equals(hashFunction) && Arrays.equals(f.digest, digest);
    }

    @Override
    public int hashCode() {
        return hashFunction.hashCode() * 31 + Arrays.hashCode(digest);
    }
}
