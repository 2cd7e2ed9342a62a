package io.warmline.webrtc.srtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.jitsi.srtp.crypto.SrtpCipherCtr;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

class SrtpSessionTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 3711 Appendix B.3 master key and salt (also libsrtp's srtp_validate key). */
    private static final byte[] B3_KEY = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
    private static final byte[] B3_SALT = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");
    private static final byte[] GCM_KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
    private static final byte[] GCM_SALT = HEX.parseHex("a0a1a2a3a4a5a6a7a8a9aaab");

    /** SSRC 0xcafebabe, sequence 0x1234, 16 bytes of 0xab (libsrtp's reference packet). */
    private static final byte[] RTP = HEX.parseHex("800f1234decafbadcafebabe" + "ab".repeat(16));
    private static final byte[] RTCP = HEX.parseHex("81c8000bcafebabe" + "ab".repeat(16));

    // Known answers computed by libsrtp for the keys above (its srtp_validate and srtp_validate_gcm).
    private static final byte[] CM_SRTP = HEX.parseHex(
            "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
    private static final byte[] CM_SRTCP = HEX.parseHex(
            "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798");
    private static final byte[] GCM_SRTP = HEX.parseHex(
            "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0880aa06ed2976826f796b201df3131a127e8a392");
    private static final byte[] GCM_SRTCP = HEX.parseHex(
            "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025c52c6fbea2b3b446ea31123ba88ce61e80000001");

    private static SrtpSession sender(SrtpProfile profile, byte[] key, byte[] salt) {
        byte[] other = new byte[profile.masterKeyLength()];
        byte[] otherSalt = new byte[profile.masterSaltLength()];
        return SrtpSession.create(SrtpKeys.of(profile, key, salt, other, otherSalt));
    }

    private static SrtpSession receiver(SrtpProfile profile, byte[] key, byte[] salt) {
        byte[] other = new byte[profile.masterKeyLength()];
        byte[] otherSalt = new byte[profile.masterSaltLength()];
        return SrtpSession.create(SrtpKeys.of(profile, other, otherSalt, key, salt));
    }

    private static byte[] protect(SrtpSession s, byte[] plain, boolean rtp) {
        byte[] buf = Arrays.copyOf(plain, plain.length + 32);
        int n = rtp ? s.protectRtp(buf, 0, plain.length) : s.protectRtcp(buf, 0, plain.length);
        assertTrue(n > 0, "protect: " + s.lastResult());
        return Arrays.copyOf(buf, n);
    }

    @Test
    void aesCmKnownAnswerForRtpAndRtcp() {
        try (SrtpSession tx = sender(SrtpProfile.AES128_CM_HMAC_SHA1_80, B3_KEY, B3_SALT);
             SrtpSession rx = receiver(SrtpProfile.AES128_CM_HMAC_SHA1_80, B3_KEY, B3_SALT)) {
            assertArrayEquals(CM_SRTP, protect(tx, RTP, true));
            byte[] in = CM_SRTP.clone();
            assertEquals(RTP.length, rx.unprotectRtp(in, 0, in.length));
            assertArrayEquals(RTP, Arrays.copyOf(in, RTP.length));

            byte[] rtcpIn = CM_SRTCP.clone();
            assertEquals(RTCP.length, rx.unprotectRtcp(rtcpIn, 0, rtcpIn.length));
            assertArrayEquals(RTCP, Arrays.copyOf(rtcpIn, RTCP.length));
        }
    }

    /**
     * RFC 3711 §3.4 starts the SRTCP index at zero, as jitsi-srtp does; libsrtp's reference packet carries index 1,
     * so it is the second packet we protect.
     */
    @Test
    void srtcpKnownAnswerIsTheSecondPacketProtected() {
        try (SrtpSession cm = sender(SrtpProfile.AES128_CM_HMAC_SHA1_80, B3_KEY, B3_SALT);
             SrtpSession gcm = sender(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT)) {
            byte[] first = protect(cm, RTCP, false);
            assertEquals(0x80000000, readInt(first, first.length - 14), "E flag set, index 0");
            assertArrayEquals(CM_SRTCP, protect(cm, RTCP, false));
            byte[] gcmFirst = protect(gcm, RTCP, false);
            assertEquals(0x80000000, readInt(gcmFirst, gcmFirst.length - 4));
            assertArrayEquals(GCM_SRTCP, protect(gcm, RTCP, false));
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | b[at + 3] & 0xff;
    }

    @Test
    void gcmKnownAnswerForRtpAndRtcp() {
        try (SrtpSession tx = sender(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT);
             SrtpSession rx = receiver(SrtpProfile.AEAD_AES_128_GCM, GCM_KEY, GCM_SALT)) {
            assertArrayEquals(GCM_SRTP, protect(tx, RTP, true));
            byte[] in = GCM_SRTP.clone();
            assertEquals(RTP.length, rx.unprotectRtp(in, 0, in.length));
            assertArrayEquals(RTP, Arrays.copyOf(in, RTP.length));
            byte[] rtcpIn = GCM_SRTCP.clone();
            assertEquals(RTCP.length, rx.unprotectRtcp(rtcpIn, 0, rtcpIn.length));
            assertArrayEquals(RTCP, Arrays.copyOf(rtcpIn, RTCP.length));
        }
    }

    /**
     * RFC 3711 B.3: the session keys derived from the B.3 master key are those the appendix lists. jitsi-srtp does
     * not expose its key derivation, so a packet our session protects is opened here with the appendix's session
     * keys and the §4.1.1 / §4.2 constructions done by hand with the JDK's AES and HMAC-SHA1.
     */
    @Test
    void rfc3711AppendixB3SessionKeysAreTheOnesInUse() throws Exception {
        byte[] sessionKey = HEX.parseHex("c61e7a93744f39ee10734afe3ff7a087");
        byte[] sessionSalt = HEX.parseHex("30cbbc08863d8c85d49db34a9ae1");
        byte[] authKey = HEX.parseHex("cebe321f6ff7716b6fd4ab49af256a156d38baa4");
        byte[] srtp;
        try (SrtpSession tx = sender(SrtpProfile.AES128_CM_HMAC_SHA1_80, B3_KEY, B3_SALT)) {
            srtp = protect(tx, RTP, true);
        }
        // §4.2: tag = first 80 bits of HMAC-SHA1(authenticated portion || ROC), ROC = 0.
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(authKey, "HmacSHA1"));
        mac.update(srtp, 0, RTP.length);
        byte[] tag = Arrays.copyOf(mac.doFinal(new byte[4]), 10);
        assertArrayEquals(tag, Arrays.copyOfRange(srtp, RTP.length, RTP.length + 10));
        // §4.1.1: IV = (salt << 16) XOR (SSRC << 64) XOR (index << 16).
        byte[] iv = new byte[16];
        System.arraycopy(sessionSalt, 0, iv, 0, 14);
        for (int i = 0; i < 4; i++) {
            iv[4 + i] ^= RTP[8 + i];
        }
        iv[12] ^= RTP[2];
        iv[13] ^= RTP[3];
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.DECRYPT_MODE, new SecretKeySpec(sessionKey, "AES"), new IvParameterSpec(iv));
        byte[] payload = ctr.doFinal(srtp, 12, RTP.length - 12);
        assertArrayEquals(Arrays.copyOfRange(RTP, 12, RTP.length), payload);
    }

    /** RFC 3711 B.2: the AES-CM keystream of jitsi-srtp's counter-mode cipher, first and last blocks listed. */
    @Test
    void rfc3711AppendixB2AesCmKeystream() throws Exception {
        SrtpCipherCtr ctr = new SrtpCipherCtr(Cipher.getInstance("AES/CTR/NoPadding"));
        ctr.init(HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"), null);
        ctr.setIV(HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfd0000"), Cipher.ENCRYPT_MODE);
        byte[] stream = new byte[16 * 0xFF02];
        ctr.process(stream, 0, stream.length);
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4", block(stream, 0));
        assertEquals("d23513162b02d0f72a43a2fe4a5f97ab", block(stream, 1));
        assertEquals("41e95b3bb0a2e8dd477901e4fca894c0", block(stream, 2));
        assertEquals("ec8cdf7398607cb0f2d21675ea9ea1e4", block(stream, 0xFEFF));
        assertEquals("362b7c3c6773516318a077d7fc5073ae", block(stream, 0xFF00));
        assertEquals("6a2cc3787889374fbeb4c81b17ba6c44", block(stream, 0xFF01));
    }

    private static String block(byte[] stream, int index) {
        return HEX.formatHex(stream, 16 * index, 16 * index + 16);
    }

    private static SrtpKeys randomKeys(SrtpProfile profile) {
        java.util.Random r = new java.util.Random(profile.ordinal());
        byte[] m = new byte[profile.keyingMaterialLength()];
        r.nextBytes(m);
        return SrtpKeys.fromKeyingMaterial(profile, true, m);
    }

    private static byte[] rtp(int seq, long ssrc) {
        byte[] p = new byte[12 + 160];
        p[0] = (byte) 0x80;
        p[1] = 111;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        Arrays.fill(p, 12, p.length, (byte) seq);
        return p;
    }

    @Test
    void aReplayedPacketIsRejectedAndCounted() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpKeys keys = randomKeys(profile);
            try (SrtpSession tx = SrtpSession.create(keys); SrtpSession rx = SrtpSession.create(keys.mirrored())) {
                byte[] wire = protect(tx, rtp(7, 0x1234), true);
                byte[] first = wire.clone();
                assertEquals(172, rx.unprotectRtp(first, 0, first.length));
                byte[] again = wire.clone();
                assertEquals(-1, rx.unprotectRtp(again, 0, again.length));
                assertEquals(SrtpResult.REPLAYED, rx.lastResult());
                assertArrayEquals(wire, again, "a dropped packet is left as it was");
                assertEquals(1, rx.stats().replays());
                assertEquals(1, rx.stats().unprotectedRtp());
            }
        }
    }

    @Test
    void aTamperedPacketFailsAuthentication() {
        for (SrtpProfile profile : SrtpProfile.values()) {
            SrtpKeys keys = randomKeys(profile);
            try (SrtpSession tx = SrtpSession.create(keys); SrtpSession rx = SrtpSession.create(keys.mirrored())) {
                byte[] wire = protect(tx, rtp(1, 0x1234), true);
                for (int at : new int[] {1, 20, wire.length - 1}) {
                    byte[] bad = wire.clone();
                    bad[at] ^= 0x01;
                    assertEquals(-1, rx.unprotectRtp(bad, 0, bad.length), profile + " byte " + at);
                    assertEquals(SrtpResult.AUTH_FAILED, rx.lastResult());
                }
                byte[] rtcpWire = protect(tx, RTCP, false);
                rtcpWire[10] ^= 0x40;
                assertEquals(-1, rx.unprotectRtcp(rtcpWire, 0, rtcpWire.length));
                assertEquals(SrtpResult.AUTH_FAILED, rx.lastResult());
                assertEquals(4, rx.stats().authFailures());
                byte[] good = wire.clone();
                assertEquals(172, rx.unprotectRtp(good, 0, good.length), "failures left no state behind");
            }
        }
    }

    @Test
    void sequenceRolloverAndReorderingWithinTheWindow() {
        SrtpKeys keys = randomKeys(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        try (SrtpSession tx = SrtpSession.create(keys); SrtpSession rx = SrtpSession.create(keys.mirrored())) {
            int[] seqs = {65533, 65534, 65535, 0, 1, 2};
            byte[][] wire = new byte[seqs.length][];
            for (int i = 0; i < seqs.length; i++) {
                wire[i] = protect(tx, rtp(seqs[i], 42), true);
            }
            for (int i : new int[] {0, 2, 1, 4, 3, 5}) {
                byte[] in = wire[i].clone();
                assertEquals(172, rx.unprotectRtp(in, 0, in.length), "seq " + seqs[i]);
                assertArrayEquals(rtp(seqs[i], 42), Arrays.copyOf(in, 172));
            }
        }
    }

    @Test
    void malformedPacketsAreCountedNotThrown() {
        SrtpKeys keys = randomKeys(SrtpProfile.AEAD_AES_128_GCM);
        try (SrtpSession rx = SrtpSession.create(keys)) {
            assertEquals(-1, rx.unprotectRtp(new byte[20], 0, 20));
            byte[] v1 = rtp(1, 5);
            v1[0] = 0x40;
            assertEquals(-1, rx.unprotectRtp(v1, 0, v1.length));
            assertEquals(-1, rx.unprotectRtcp(new byte[] {(byte) 0x80, (byte) 200, 0, 1}, 0, 4));
            assertEquals(-1, rx.unprotectRtp(new byte[4000], 0, 4000));
            assertEquals(-1, rx.unprotectRtp(new byte[10], 5, 10));
            assertEquals(5, rx.stats().malformed());
        }
    }

    @Test
    void forgedSsrcsDoNotFillTheStreamTable() {
        SrtpKeys keys = randomKeys(SrtpProfile.AES128_CM_HMAC_SHA1_80);
        try (SrtpSession tx = SrtpSession.create(keys); SrtpSession rx = SrtpSession.create(keys.mirrored())) {
            for (int i = 0; i < 3 * SrtpSession.MAX_STREAMS; i++) {
                byte[] forged = rtp(1, 1000 + i);
                byte[] padded = Arrays.copyOf(forged, forged.length + 10);
                assertEquals(-1, rx.unprotectRtp(padded, 0, padded.length));
            }
            assertEquals(3 * SrtpSession.MAX_STREAMS, rx.stats().authFailures());
            byte[] real = protect(tx, rtp(9, 77), true);
            assertEquals(172, rx.unprotectRtp(real, 0, real.length));
            for (int i = 1; i < SrtpSession.MAX_STREAMS; i++) {
                protect(tx, rtp(1, 5000 + i), true);
            }
            byte[] over = Arrays.copyOf(rtp(1, 9999), 200);
            assertEquals(-1, tx.protectRtp(over, 0, 172));
            assertEquals(SrtpResult.TOO_MANY_STREAMS, tx.lastResult());
        }
    }

    @Test
    void byteBufsAreTransformedInPlaceAndLeftAloneOnFailure() {
        SrtpKeys keys = randomKeys(SrtpProfile.AEAD_AES_128_GCM);
        try (SrtpSession tx = SrtpSession.create(keys); SrtpSession rx = SrtpSession.create(keys.mirrored())) {
            byte[] plain = rtp(3, 99);
            ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(plain.length);
            ByteBuf heap = Unpooled.buffer(8 + plain.length).writeZero(8).skipBytes(8);
            try {
                direct.writeBytes(plain);
                assertEquals(SrtpResult.OK, tx.protectRtp(direct));
                assertEquals(plain.length + 16, direct.readableBytes());
                byte[] wire = ByteBufUtil.getBytes(direct);
                heap.writeBytes(wire);
                assertEquals(SrtpResult.OK, rx.unprotectRtp(heap));
                assertArrayEquals(plain, ByteBufUtil.getBytes(heap));
                assertEquals(8, heap.readerIndex());
                ByteBuf replay = Unpooled.wrappedBuffer(wire.clone());
                assertEquals(SrtpResult.REPLAYED, rx.unprotectRtp(replay));
                assertArrayEquals(wire, ByteBufUtil.getBytes(replay));
                replay.release();
                assertEquals(SrtpResult.OK, tx.protectRtcp(direct.clear().writeBytes(RTCP)));
                assertEquals(RTCP.length + 16 + 4, direct.readableBytes());
                assertEquals(SrtpResult.OK, rx.unprotectRtcp(direct));
                assertArrayEquals(RTCP, ByteBufUtil.getBytes(direct));
            } finally {
                direct.release();
                heap.release();
            }
        }
    }

    @Test
    void warmUpRunsBothProfiles() {
        SrtpSession.warmUp();
    }
}
