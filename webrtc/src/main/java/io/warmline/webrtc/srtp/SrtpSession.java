package io.warmline.webrtc.srtp;

import java.security.GeneralSecurityException;
import java.util.Objects;

import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.srtp.crypto.Aes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.warmline.webrtc.srtp.internal.PacketScratch;
import io.warmline.webrtc.srtp.internal.Slf4jJitsiLogger;
import io.warmline.webrtc.srtp.internal.StreamTable;

/**
 * SRTP and SRTCP for one leg (RFC 3711; AEAD_AES_128_GCM per RFC 7714) on jitsi-srtp: protects what we send with the
 * local keys and authenticates, replay-checks and decrypts what we receive with the remote keys.
 *
 * <p>Every failure is a typed {@link SrtpResult}, counted in {@link #stats()}, with the packet left as it was for the
 * caller to drop; nothing is thrown. Per-SSRC contexts are derived on first use, at most {@link #MAX_STREAMS} per
 * direction; a receive context whose first packet fails authentication is forgotten, so forged SSRCs cannot fill the
 * table. Not thread-safe: confine a session to the leg's event loop (jitsi-srtp's own monitors are then uncontended).
 */
public final class SrtpSession implements AutoCloseable {
    /** Largest packet accepted, protected or not. */
    public static final int MAX_PACKET = 2048;
    /** Streams per direction: a WebRTC audio leg has one or two SSRCs each way. */
    public static final int MAX_STREAMS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(SrtpSession.class);
    private static final int RTP_HEADER = 12;
    private static final int RTCP_HEADER = 8;
    /** SRTCP E flag and index (RFC 3711 §3.4). */
    private static final int SRTCP_INDEX = 4;

    static {
        // The JDK's AES (CTR and GCM with AES-NI/CLMUL intrinsics). Naming it up front also skips jitsi-srtp's
        // start-up benchmark of every AES provider, which otherwise runs on the first leg's event loop for seconds.
        Aes.setFactoryClassName(Aes.SunJCECipherFactory.class.getName());
    }

    private final SrtpProfile profile;
    private final SrtpContextFactory sendFactory;
    private final SrtpContextFactory receiveFactory;
    private final StreamTable<SrtpCryptoContext> sendRtp = new StreamTable<>(MAX_STREAMS);
    private final StreamTable<SrtpCryptoContext> receiveRtp = new StreamTable<>(MAX_STREAMS);
    private final StreamTable<SrtcpCryptoContext> sendRtcp = new StreamTable<>(MAX_STREAMS);
    private final StreamTable<SrtcpCryptoContext> receiveRtcp = new StreamTable<>(MAX_STREAMS);
    private final PacketScratch scratch = new PacketScratch(MAX_PACKET + 64);
    private long protectedRtp;
    private long unprotectedRtp;
    private long protectedRtcp;
    private long unprotectedRtcp;
    private long authFailures;
    private long replays;
    private long malformed;
    private long tooManyStreams;
    private long cryptoErrors;
    private SrtpResult lastResult = SrtpResult.OK;

    private SrtpSession(SrtpKeys keys) {
        this.profile = keys.profile();
        Slf4jJitsiLogger logger = new Slf4jJitsiLogger(SrtpSession.class.getName());
        byte[] localKey = keys.localMasterKey();
        byte[] localSalt = keys.localMasterSalt();
        byte[] remoteKey = keys.remoteMasterKey();
        byte[] remoteSalt = keys.remoteMasterSalt();
        try {
            this.sendFactory = new SrtpContextFactory(true, localKey, localSalt, policy(profile), policy(profile),
                    logger);
            this.receiveFactory = new SrtpContextFactory(false, remoteKey, remoteSalt, policy(profile),
                    policy(profile), logger);
        } finally {
            java.util.Arrays.fill(localKey, (byte) 0);
            java.util.Arrays.fill(remoteKey, (byte) 0);
        }
    }

    public static SrtpSession create(SrtpKeys keys) {
        return new SrtpSession(Objects.requireNonNull(keys, "keys"));
    }

    /** Protects one packet of each kind with throwaway keys, so class loading and JIT start before the first leg. */
    public static void warmUp() {
        for (SrtpProfile p : SrtpProfile.values()) {
            byte[] key = new byte[p.masterKeyLength()];
            byte[] salt = new byte[p.masterSaltLength()];
            try (SrtpSession s = create(SrtpKeys.of(p, key, salt, key, salt))) {
                byte[] rtp = new byte[RTP_HEADER + 160 + 16];
                rtp[0] = (byte) 0x80;
                s.protectRtp(rtp, 0, RTP_HEADER + 160);
                byte[] rtcp = new byte[RTCP_HEADER + 64];
                rtcp[0] = (byte) 0x80;
                rtcp[1] = (byte) 201;
                rtcp[3] = 1;
                s.protectRtcp(rtcp, 0, RTCP_HEADER);
            }
        }
    }

    public SrtpProfile profile() {
        return profile;
    }

    /** Bytes protection adds to an RTP packet. */
    public int rtpOverhead() {
        return profile.authTagLength();
    }

    /** Bytes protection adds to an RTCP packet (tag plus the SRTCP index). */
    public int rtcpOverhead() {
        return profile.authTagLength() + SRTCP_INDEX;
    }

    /**
     * Protects the readable bytes of {@code packet} (one RTP packet) in place: on {@link SrtpResult#OK} they are
     * replaced by the SRTP packet (the writer index grows by {@link #rtpOverhead()}, the buffer growing if needed);
     * otherwise the buffer is untouched. The caller keeps ownership.
     */
    public SrtpResult protectRtp(ByteBuf packet) {
        return transform(packet, Kind.PROTECT_RTP);
    }

    /** Authenticates, replay-checks and decrypts one SRTP packet in place; as {@link #protectRtp(ByteBuf)}. */
    public SrtpResult unprotectRtp(ByteBuf packet) {
        return transform(packet, Kind.UNPROTECT_RTP);
    }

    /** Protects one RTCP compound packet in place (RFC 3711 §3.4, always encrypted); as {@link #protectRtp}. */
    public SrtpResult protectRtcp(ByteBuf packet) {
        return transform(packet, Kind.PROTECT_RTCP);
    }

    /** Authenticates, replay-checks and decrypts one SRTCP packet in place; as {@link #protectRtp(ByteBuf)}. */
    public SrtpResult unprotectRtcp(ByteBuf packet) {
        return transform(packet, Kind.UNPROTECT_RTCP);
    }

    /**
     * Protects {@code length} bytes at {@code offset} in place; the array must have room for {@link #rtpOverhead()}
     * more bytes. Returns the new length, or -1 when the packet is dropped ({@link #lastResult()} says why).
     */
    public int protectRtp(byte[] buffer, int offset, int length) {
        return transform(buffer, offset, length, Kind.PROTECT_RTP);
    }

    /** As {@link #protectRtp(byte[], int, int)}, for receiving: returns the plaintext length or -1. */
    public int unprotectRtp(byte[] buffer, int offset, int length) {
        return transform(buffer, offset, length, Kind.UNPROTECT_RTP);
    }

    /** As {@link #protectRtp(byte[], int, int)}, needing room for {@link #rtcpOverhead()} more bytes. */
    public int protectRtcp(byte[] buffer, int offset, int length) {
        return transform(buffer, offset, length, Kind.PROTECT_RTCP);
    }

    public int unprotectRtcp(byte[] buffer, int offset, int length) {
        return transform(buffer, offset, length, Kind.UNPROTECT_RTCP);
    }

    /** The result of the last byte[] call. */
    public SrtpResult lastResult() {
        return lastResult;
    }

    public SrtpStats stats() {
        return new SrtpStats(protectedRtp, unprotectedRtp, protectedRtcp, unprotectedRtcp, authFailures, replays,
                malformed, tooManyStreams, cryptoErrors);
    }

    /** Wipes the master keys held by the context factories. */
    @Override
    public void close() {
        sendFactory.close();
        receiveFactory.close();
    }

    private enum Kind {
        PROTECT_RTP, UNPROTECT_RTP, PROTECT_RTCP, UNPROTECT_RTCP
    }

    private SrtpResult transform(ByteBuf packet, Kind kind) {
        int length = packet.readableBytes();
        if (length > MAX_PACKET) {
            return count(SrtpResult.MALFORMED);
        }
        scratch.clear();
        packet.getBytes(packet.readerIndex(), scratch.getBuffer(), 0, length);
        scratch.setLength(length);
        SrtpResult result = run(kind);
        if (result == SrtpResult.OK) {
            int out = scratch.getLength();
            if (out > length) {
                packet.ensureWritable(out - length);
            }
            packet.setBytes(packet.readerIndex(), scratch.getBuffer(), scratch.getOffset(), out);
            packet.writerIndex(packet.readerIndex() + out);
        }
        return result;
    }

    private int transform(byte[] buffer, int offset, int length, Kind kind) {
        if (length > MAX_PACKET || offset < 0 || length < 0 || offset + length > buffer.length) {
            lastResult = count(SrtpResult.MALFORMED);
            return -1;
        }
        scratch.clear();
        System.arraycopy(buffer, offset, scratch.getBuffer(), 0, length);
        scratch.setLength(length);
        SrtpResult result = run(kind);
        lastResult = result;
        if (result != SrtpResult.OK) {
            return -1;
        }
        int out = scratch.getLength();
        if (offset + out > buffer.length) {
            lastResult = count(SrtpResult.MALFORMED);
            return -1;
        }
        System.arraycopy(scratch.getBuffer(), scratch.getOffset(), buffer, offset, out);
        return out;
    }

    private SrtpResult run(Kind kind) {
        byte[] b = scratch.getBuffer();
        int length = scratch.getLength();
        boolean rtp = kind == Kind.PROTECT_RTP || kind == Kind.UNPROTECT_RTP;
        int minimum = switch (kind) {
            case PROTECT_RTP -> RTP_HEADER;
            case UNPROTECT_RTP -> RTP_HEADER + profile.authTagLength();
            case PROTECT_RTCP -> RTCP_HEADER;
            case UNPROTECT_RTCP -> RTCP_HEADER + SRTCP_INDEX + profile.authTagLength();
        };
        if (length < minimum || (b[0] & 0xC0) != 0x80) {
            return count(SrtpResult.MALFORMED);
        }
        int ssrc = rtp ? readInt(b, 8) : readInt(b, 4);
        try {
            SrtpErrorStatus status = switch (kind) {
                case PROTECT_RTP -> {
                    SrtpCryptoContext c = sendRtp.get(ssrc);
                    if (c == null) {
                        if (sendRtp.isFull()) {
                            yield null;
                        }
                        c = sendFactory.deriveContext(ssrc, 0);
                        sendRtp.put(ssrc, c);
                    }
                    yield c.transformPacket(scratch);
                }
                case UNPROTECT_RTP -> {
                    SrtpCryptoContext c = receiveRtp.get(ssrc);
                    boolean fresh = c == null;
                    if (fresh) {
                        if (receiveRtp.isFull()) {
                            yield null;
                        }
                        c = receiveFactory.deriveContext(ssrc, 0);
                        receiveRtp.put(ssrc, c);
                    }
                    SrtpErrorStatus s = c.reverseTransformPacket(scratch, false);
                    if (fresh && s != SrtpErrorStatus.OK) {
                        receiveRtp.remove(ssrc);
                    }
                    yield s;
                }
                case PROTECT_RTCP -> {
                    SrtcpCryptoContext c = sendRtcp.get(ssrc);
                    if (c == null) {
                        if (sendRtcp.isFull()) {
                            yield null;
                        }
                        c = sendFactory.deriveControlContext(ssrc);
                        sendRtcp.put(ssrc, c);
                    }
                    yield c.transformPacket(scratch);
                }
                case UNPROTECT_RTCP -> {
                    SrtcpCryptoContext c = receiveRtcp.get(ssrc);
                    boolean fresh = c == null;
                    if (fresh) {
                        if (receiveRtcp.isFull()) {
                            yield null;
                        }
                        c = receiveFactory.deriveControlContext(ssrc);
                        receiveRtcp.put(ssrc, c);
                    }
                    SrtpErrorStatus s = c.reverseTransformPacket(scratch);
                    if (fresh && s != SrtpErrorStatus.OK) {
                        receiveRtcp.remove(ssrc);
                    }
                    yield s;
                }
            };
            if (status == null) {
                return count(SrtpResult.TOO_MANY_STREAMS);
            }
            SrtpResult result = switch (status) {
                case OK -> SrtpResult.OK;
                case AUTH_FAIL -> SrtpResult.AUTH_FAILED;
                case REPLAY_FAIL, REPLAY_OLD -> SrtpResult.REPLAYED;
                case INVALID_PACKET -> SrtpResult.MALFORMED;
                case FAIL -> SrtpResult.AUTH_FAILED;
            };
            if (result == SrtpResult.OK) {
                switch (kind) {
                    case PROTECT_RTP -> protectedRtp++;
                    case UNPROTECT_RTP -> unprotectedRtp++;
                    case PROTECT_RTCP -> protectedRtcp++;
                    case UNPROTECT_RTCP -> unprotectedRtcp++;
                }
                return result;
            }
            return count(result);
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.warn("SRTP {} failed in the crypto provider", kind, e);
            return count(SrtpResult.CRYPTO_ERROR);
        }
    }

    private SrtpResult count(SrtpResult result) {
        switch (result) {
            case AUTH_FAILED -> authFailures++;
            case REPLAYED -> replays++;
            case MALFORMED -> malformed++;
            case TOO_MANY_STREAMS -> tooManyStreams++;
            case CRYPTO_ERROR -> cryptoErrors++;
            case OK -> { }
        }
        return result;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    /** RFC 3711 §8.2 default transforms (80-bit HMAC-SHA1 tag, also for SRTCP per RFC 5764 §4.1.2); RFC 7714 §12. */
    private static SrtpPolicy policy(SrtpProfile profile) {
        SrtpPolicy p = switch (profile) {
            case AES128_CM_HMAC_SHA1_80 -> new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16,
                    SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
            case AEAD_AES_128_GCM -> new SrtpPolicy(SrtpPolicy.AESGCM_ENCRYPTION, 16,
                    SrtpPolicy.NULL_AUTHENTICATION, 0, 16, 12);
        };
        p.setReceiveReplayEnabled(true);
        p.setSendReplayEnabled(true);
        return p;
    }
}
