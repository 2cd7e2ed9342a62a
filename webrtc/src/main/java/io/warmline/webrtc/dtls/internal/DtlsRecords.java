package io.warmline.webrtc.dtls.internal;

import org.bouncycastle.tls.CipherSuite;

/**
 * Checks on the DTLS record layer (RFC 6347 §4.1) made before a datagram reaches BouncyCastle after the handshake.
 * BouncyCastle treats a protected record too short for its cipher as fatal (decode_error), but RFC 6347 §4.1.2.7 says
 * invalid records SHOULD be discarded so the association survives; such datagrams are dropped here.
 */
public final class DtlsRecords {
    static final int HEADER = 13;

    private DtlsRecords() {
    }

    /**
     * The largest of the suites' smallest protected fragments (AES-GCM's): a bound that holds for whichever suite the
     * handshake will pick, for checking records that arrive before it has (a Finished is 40 bytes or more).
     */
    public static final int ANY_SUITE_MINIMUM_CIPHERTEXT = 8 + 16;

    /** The smallest protected fragment of the negotiated AEAD suite: explicit nonce plus tag (RFC 5288, RFC 7905). */
    public static int minimumCiphertext(int cipherSuite) {
        return switch (cipherSuite) {
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                 CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 -> 16;
            default -> 8 + 16;
        };
    }

    /**
     * Whether every record of the datagram has a complete header, fits in the datagram, and (outside epoch 0) is
     * long enough to be a ciphertext of the negotiated suite.
     */
    public static boolean wellFormed(byte[] datagram, int minimumCiphertext) {
        int at = 0;
        if (datagram.length < HEADER) {
            return false;
        }
        while (at < datagram.length) {
            if (datagram.length - at < HEADER) {
                return false;
            }
            int epoch = (datagram[at + 3] & 0xff) << 8 | datagram[at + 4] & 0xff;
            int length = (datagram[at + 11] & 0xff) << 8 | datagram[at + 12] & 0xff;
            if (length > datagram.length - at - HEADER || (epoch != 0 && length < minimumCiphertext)) {
                return false;
            }
            at += HEADER + length;
        }
        return true;
    }
}
