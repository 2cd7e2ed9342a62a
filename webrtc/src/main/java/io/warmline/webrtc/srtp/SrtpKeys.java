package io.warmline.webrtc.srtp;

import java.util.Arrays;
import java.util.Objects;

/**
 * The SRTP master keys and salts of one DTLS-SRTP association, already resolved to this endpoint's direction:
 * {@code local*} protect what we send, {@code remote*} unprotect what we receive. Accessors return copies; the
 * keys never appear in {@link #toString()}. Immutable apart from {@link #destroy()}.
 */
public final class SrtpKeys {
    private final SrtpProfile profile;
    private final byte[] localKey;
    private final byte[] localSalt;
    private final byte[] remoteKey;
    private final byte[] remoteSalt;

    private SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.localKey = checked(localKey, profile.masterKeyLength(), "local key");
        this.localSalt = checked(localSalt, profile.masterSaltLength(), "local salt");
        this.remoteKey = checked(remoteKey, profile.masterKeyLength(), "remote key");
        this.remoteSalt = checked(remoteSalt, profile.masterSaltLength(), "remote salt");
    }

    public static SrtpKeys of(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey,
                              byte[] remoteSalt) {
        return new SrtpKeys(profile, localKey, localSalt, remoteKey, remoteSalt);
    }

    /**
     * Splits DTLS exporter output laid out as client key, server key, client salt, server salt (RFC 5764 §4.2).
     *
     * @param localIsClient whether this endpoint was the DTLS client
     */
    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, boolean localIsClient, byte[] material) {
        if (material.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException("keying material for " + profile + " is "
                    + profile.keyingMaterialLength() + " bytes, got " + material.length);
        }
        int k = profile.masterKeyLength();
        int s = profile.masterSaltLength();
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return localIsClient
                ? new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt)
                : new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt);
    }

    public SrtpProfile profile() {
        return profile;
    }

    public byte[] localMasterKey() {
        return localKey.clone();
    }

    public byte[] localMasterSalt() {
        return localSalt.clone();
    }

    public byte[] remoteMasterKey() {
        return remoteKey.clone();
    }

    public byte[] remoteMasterSalt() {
        return remoteSalt.clone();
    }

    /** The keys as the peer sees them (local and remote swapped): what the other end of the association holds. */
    public SrtpKeys mirrored() {
        return new SrtpKeys(profile, remoteKey, remoteSalt, localKey, localSalt);
    }

    /** Whether both hold the same profile, keys and salts (constant time in the key bytes). */
    public boolean sameAs(SrtpKeys other) {
        return profile == other.profile
                & java.security.MessageDigest.isEqual(localKey, other.localKey)
                & java.security.MessageDigest.isEqual(localSalt, other.localSalt)
                & java.security.MessageDigest.isEqual(remoteKey, other.remoteKey)
                & java.security.MessageDigest.isEqual(remoteSalt, other.remoteSalt);
    }

    /** Overwrites the key material held here; later accessors return zeros. */
    public void destroy() {
        Arrays.fill(localKey, (byte) 0);
        Arrays.fill(localSalt, (byte) 0);
        Arrays.fill(remoteKey, (byte) 0);
        Arrays.fill(remoteSalt, (byte) 0);
    }

    @Override
    public String toString() {
        return "SrtpKeys[" + profile + "]";
    }

    private static byte[] checked(byte[] b, int length, String what) {
        Objects.requireNonNull(b, what);
        if (b.length != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + b.length);
        }
        return b.clone();
    }
}
