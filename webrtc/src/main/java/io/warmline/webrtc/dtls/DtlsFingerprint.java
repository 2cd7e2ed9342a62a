package io.warmline.webrtc.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A certificate fingerprint as carried in SDP {@code a=fingerprint} (RFC 8122 §5): a hash function name and the hash
 * of the DER certificate, written as upper-case hex pairs separated by colons. Immutable.
 */
public final class DtlsFingerprint {
    /** Longest value we parse: sha-512 is 64 bytes, 191 characters of hex and colons. */
    private static final int MAX_TEXT = 256;

    private final String algorithm;
    private final byte[] value;

    private DtlsFingerprint(String algorithm, byte[] value) {
        this.algorithm = algorithm;
        this.value = value;
    }

    /**
     * Parses the value of an {@code a=fingerprint} attribute, e.g. {@code "sha-256 AB:CD:..."}. Accepts sha-1,
     * sha-224, sha-256, sha-384 and sha-512; refuses md5 and md2, which RFC 8122 §5 says not to use.
     */
    public static DtlsFingerprint parse(String sdpValue) throws DtlsFingerprintException {
        Objects.requireNonNull(sdpValue, "sdpValue");
        if (sdpValue.length() > MAX_TEXT) {
            throw new DtlsFingerprintException("fingerprint longer than " + MAX_TEXT + " characters");
        }
        String text = sdpValue.trim();
        int space = text.indexOf(' ');
        if (space <= 0) {
            throw new DtlsFingerprintException("fingerprint needs '<hash-func> <hex:hex:...>': " + text);
        }
        String algorithm = text.substring(0, space).toLowerCase(Locale.ROOT);
        int length = digestLength(algorithm);
        String hex = text.substring(space + 1).trim();
        if (hex.length() != 3 * length - 1) {
            throw new DtlsFingerprintException(algorithm + " fingerprint must have " + length + " bytes: " + hex);
        }
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            int at = 3 * i;
            if (i > 0 && hex.charAt(at - 1) != ':') {
                throw new DtlsFingerprintException("fingerprint bytes must be separated by ':' at " + (at - 1));
            }
            int hi = Character.digit(hex.charAt(at), 16);
            int lo = Character.digit(hex.charAt(at + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new DtlsFingerprintException("fingerprint has a non-hex digit at " + at);
            }
            value[i] = (byte) (hi << 4 | lo);
        }
        return new DtlsFingerprint(algorithm, value);
    }

    /** The fingerprint of a DER-encoded certificate with the given RFC 8122 hash function name (e.g. sha-256). */
    public static DtlsFingerprint of(String algorithm, byte[] certificateDer) throws DtlsFingerprintException {
        String a = algorithm.toLowerCase(Locale.ROOT);
        digestLength(a);
        return new DtlsFingerprint(a, digest(a, certificateDer));
    }

    /** The RFC 8122 hash function name, lower case (e.g. {@code sha-256}). */
    public String algorithm() {
        return algorithm;
    }

    public byte[] value() {
        return value.clone();
    }

    /** Whether this fingerprint is the hash of the given DER certificate. */
    public boolean matches(byte[] certificateDer) {
        return MessageDigest.isEqual(value, digest(algorithm, certificateDer));
    }

    /** The attribute value, e.g. {@code sha-256 AB:CD:...} (upper-case hex as RFC 8122 §5 writes it). */
    public String sdpValue() {
        return algorithm + ' ' + HexFormat.ofDelimiter(":").withUpperCase().formatHex(value);
    }

    /** The whole SDP line without CRLF: {@code a=fingerprint:sha-256 AB:CD:...}. */
    public String sdpAttribute() {
        return "a=fingerprint:" + sdpValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint f && algorithm.equals(f.algorithm) && MessageDigest.isEqual(value, f.value);
    }

    @Override
    public int hashCode() {
        return algorithm.hashCode() * 31 + java.util.Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return sdpValue();
    }

    private static int digestLength(String algorithm) throws DtlsFingerprintException {
        return switch (algorithm) {
            case "sha-1" -> 20;
            case "sha-224" -> 28;
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> throw new DtlsFingerprintException("unsupported fingerprint hash function: " + algorithm);
        };
    }

    private static byte[] digest(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm.toUpperCase(Locale.ROOT)).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }
}
