package io.warmline.webrtc.stun.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two checksums of STUN: MESSAGE-INTEGRITY(-SHA256) (RFC 8489 §14.5, §14.6) and FINGERPRINT (§14.7). Both are
 * computed over the message up to the attribute, with the header's length field rewritten as if the attribute were
 * the last one. Mac instances are cached per thread (each event loop gets its own).
 */
public final class StunCrypto {

    /** RFC 8489 §14.7: CRC-32 XOR 0x5354554e. */
    public static final int FINGERPRINT_XOR = 0x5354554e;

    private static final ThreadLocal<Mac> SHA1 = ThreadLocal.withInitial(() -> mac("HmacSHA1"));
    private static final ThreadLocal<Mac> SHA256 = ThreadLocal.withInitial(() -> mac("HmacSHA256"));

    private StunCrypto() {
    }

    /**
     * HMAC over {@code msg[0..end)} with the length field set to {@code lengthField}.
     *
     * @param sha256 HMAC-SHA256 (32 bytes) instead of HMAC-SHA1 (20 bytes)
     */
    public static byte[] hmac(boolean sha256, byte[] key, byte[] msg, int end, int lengthField) {
        Mac mac = sha256 ? SHA256.get() : SHA1.get();
        try {
            // An empty key is refused by SecretKeySpec; RFC 2104 pads short keys with zeros, so one zero byte is equal.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, mac.getAlgorithm()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC key refused", e);
        }
        mac.update(msg, 0, 2);
        mac.update((byte) (lengthField >>> 8));
        mac.update((byte) lengthField);
        mac.update(msg, 4, end - 4);
        return mac.doFinal();
    }

    /** FINGERPRINT value over {@code msg[0..end)} with the length field set to {@code lengthField}. */
    public static int fingerprint(byte[] msg, int end, int lengthField) {
        CRC32 crc = new CRC32();
        crc.update(msg, 0, 2);
        crc.update(lengthField >>> 8);
        crc.update(lengthField);
        crc.update(msg, 4, end - 4);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /** Constant-time comparison of {@code expected[0..len)} with {@code actual[off..off+len)}. */
    public static boolean equalsPrefix(byte[] expected, byte[] actual, int off, int len) {
        byte[] a = new byte[len];
        System.arraycopy(actual, off, a, 0, len);
        byte[] e = new byte[len];
        System.arraycopy(expected, 0, e, 0, len);
        return MessageDigest.isEqual(e, a);
    }

    private static Mac mac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is required by every Java platform", e);
        }
    }
}
