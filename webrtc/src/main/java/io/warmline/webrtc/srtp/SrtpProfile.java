package io.warmline.webrtc.srtp;

import java.util.Optional;

/**
 * The SRTP protection profiles Warmline negotiates in DTLS {@code use_srtp} (RFC 5764 §4.1.2, RFC 7714 §14.2).
 * Lengths are in bytes.
 */
public enum SrtpProfile {
    /** RFC 5764 §4.1.2: AES-128 counter mode, HMAC-SHA1 with an 80-bit tag; the profile every WebRTC peer has. */
    AES128_CM_HMAC_SHA1_80(0x0001, "SRTP_AES128_CM_HMAC_SHA1_80", 16, 14, 10),
    /** RFC 7714 §14.2: AES-128 GCM with a 128-bit tag and a 96-bit salt. */
    AEAD_AES_128_GCM(0x0007, "SRTP_AEAD_AES_128_GCM", 16, 12, 16);

    private final int dtlsId;
    private final String rfcName;
    private final int masterKeyLength;
    private final int masterSaltLength;
    private final int authTagLength;

    SrtpProfile(int dtlsId, String rfcName, int masterKeyLength, int masterSaltLength, int authTagLength) {
        this.dtlsId = dtlsId;
        this.rfcName = rfcName;
        this.masterKeyLength = masterKeyLength;
        this.masterSaltLength = masterSaltLength;
        this.authTagLength = authTagLength;
    }

    /** The two-byte SRTPProtectionProfile value of RFC 5764 §4.1.2. */
    public int dtlsId() {
        return dtlsId;
    }

    public String rfcName() {
        return rfcName;
    }

    public int masterKeyLength() {
        return masterKeyLength;
    }

    public int masterSaltLength() {
        return masterSaltLength;
    }

    /** Bytes appended to each SRTP packet (the HMAC tag or the GCM tag). */
    public int authTagLength() {
        return authTagLength;
    }

    /** Length of the DTLS exporter output: a key and a salt for each direction (RFC 5764 §4.2). */
    public int keyingMaterialLength() {
        return 2 * (masterKeyLength + masterSaltLength);
    }

    public static Optional<SrtpProfile> fromDtlsId(int id) {
        for (SrtpProfile p : values()) {
            if (p.dtlsId == id) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
