package io.warmline.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StunDecoderTest {

    private static final byte[] TXID = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    private static final byte[] KEY = "0123456789abcdefghijkl".getBytes(StandardCharsets.UTF_8);

    @Test
    void refusesShortForeignAndMisframedInput() {
        assertMalformed(StunMalformation.TOO_SHORT, new byte[19]);
        assertMalformed(StunMalformation.TOO_SHORT, new byte[0]);
        assertMalformed(StunMalformation.TOO_LONG, new byte[StunDecoder.MAX_MESSAGE_LENGTH + 1]);

        byte[] ok = request().build();
        byte[] noCookie = ok.clone();
        noCookie[5] ^= 1;
        assertMalformed(StunMalformation.NOT_STUN, noCookie);
        byte[] rtp = ok.clone();
        rtp[0] = (byte) 0x80;
        assertMalformed(StunMalformation.NOT_STUN, rtp);

        byte[] oddLength = ok.clone();
        oddLength[3] += 2;
        assertMalformed(StunMalformation.BAD_LENGTH, oddLength);
        byte[] longer = java.util.Arrays.copyOf(ok, ok.length + 4);
        assertMalformed(StunMalformation.BAD_LENGTH, longer);
    }

    @Test
    void refusesAnAttributeRunningPastTheEnd() {
        byte[] m = new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID).username("abcd:efgh").build();
        m[StunMessage.HEADER_LENGTH + 3] = 13; // value of 13 bytes pads to 16, 12 are there
        assertMalformed(StunMalformation.ATTRIBUTE_OVERRUN, m);
        // Header length says 4 more bytes, of which only a partial attribute header exists.
        byte[] h = new byte[24];
        System.arraycopy(m, 0, h, 0, 20);
        h[2] = 0;
        h[3] = 4;
        h[20] = 0x00;
        h[21] = 0x06;
        h[22] = 0x00;
        h[23] = 0x08;
        assertMalformed(StunMalformation.ATTRIBUTE_OVERRUN, h);
    }

    @Test
    void refusesTooManyAttributes() {
        StunMessageBuilder b = new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID);
        for (int i = 0; i <= StunDecoder.MAX_ATTRIBUTES; i++) {
            b.attribute(0x8100 + i, new byte[0]);
        }
        assertMalformed(StunMalformation.TOO_MANY_ATTRIBUTES, b.build());
        StunMessageBuilder fits = new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID);
        for (int i = 0; i < StunDecoder.MAX_ATTRIBUTES; i++) {
            fits.attribute(0x8100 + i, new byte[0]);
        }
        parse(fits.build());
    }

    @Test
    void refusesKnownAttributesOfTheWrongLength() {
        assertBadAttribute(StunAttribute.PRIORITY, new byte[3]);
        assertBadAttribute(StunAttribute.USE_CANDIDATE, new byte[4]);
        assertBadAttribute(StunAttribute.ICE_CONTROLLING, new byte[4]);
        assertBadAttribute(StunAttribute.ICE_CONTROLLED, new byte[12]);
        assertBadAttribute(StunAttribute.MESSAGE_INTEGRITY, new byte[16]);
        assertBadAttribute(StunAttribute.MESSAGE_INTEGRITY_SHA256, new byte[12]);
        assertBadAttribute(StunAttribute.MESSAGE_INTEGRITY_SHA256, new byte[18]);
        assertBadAttribute(StunAttribute.FINGERPRINT, new byte[8]);
        assertBadAttribute(StunAttribute.XOR_MAPPED_ADDRESS, new byte[] {0, 1, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});
        assertBadAttribute(StunAttribute.XOR_MAPPED_ADDRESS, new byte[] {0, 3, 0, 0, 1, 2, 3, 4});
        assertBadAttribute(StunAttribute.UNKNOWN_ATTRIBUTES, new byte[3]);
        assertBadAttribute(StunAttribute.ERROR_CODE, new byte[] {0, 0, 2, 0});
        assertBadAttribute(StunAttribute.ERROR_CODE, new byte[] {0, 0, 4, 100});
        assertBadAttribute(StunAttribute.USERNAME, new byte[] {(byte) 0xC3, 0x28});
        assertBadAttribute(StunAttribute.USERNAME, new byte[StunDecoder.MAX_USERNAME_BYTES + 1]);
    }

    @Test
    void fingerprintMustBeLast() {
        byte[] m = new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID).fingerprint().build();
        byte[] more = java.util.Arrays.copyOf(m, m.length + 4);
        more[3] += 4;
        more[m.length] = (byte) 0x80;
        more[m.length + 1] = 0x22;
        assertMalformed(StunMalformation.ATTRIBUTE_AFTER_FINGERPRINT, more);
    }

    @Test
    void collectsUnknownComprehensionRequiredAndSkipsOptional() {
        StunMessage m = parse(new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID)
                .attribute(0x7F01, new byte[] {1, 2, 3})
                .attribute(0xC057, new byte[] {0, 1, 0, 0})
                .attribute(0x0031, new byte[0])
                .fingerprint()
                .build());
        assertArrayEquals(new int[] {0x7F01, 0x0031}, m.unknownComprehensionRequired());
        assertTrue(m.fingerprintValid());
    }

    @Test
    void ignoresAttributesAfterIntegrityButNotMiSha256OrFingerprint() {
        byte[] m = new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID)
                .username("a:b")
                .messageIntegrity(KEY)
                .useCandidate()
                .attribute(0x7F01, new byte[0])
                .fingerprint()
                .build();
        StunMessage p = parse(m);
        // RFC 8489 §14.5: USE-CANDIDATE after MI is not covered by it, so it is not believed.
        assertFalse(p.useCandidate());
        assertEquals(0, p.unknownComprehensionRequired().length);
        assertTrue(p.fingerprintValid());
        // The trailing attributes are not covered by the HMAC, so integrity still holds.
        assertTrue(p.integrityMatches(KEY));
    }

    @Test
    void keepsTheFirstOfDuplicatedAttributes() {
        StunMessage m = parse(new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID)
                .username("first:one").username("second:two").priority(7).priority(9).build());
        assertEquals("first:one", m.username());
        assertEquals(7, m.priority());
    }

    @Test
    void miSha256IsCheckedWhenPresent() {
        byte[] m = new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID)
                .username("a:b").messageIntegritySha256(KEY).fingerprint().build();
        StunMessage p = parse(m);
        assertTrue(p.hasIntegrity());
        assertTrue(p.integrityMatches(KEY));
        assertFalse(p.integrityMatches("wrong".getBytes(StandardCharsets.UTF_8)));

        byte[] both = new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID)
                .username("a:b").messageIntegrity(KEY).messageIntegritySha256(KEY).fingerprint().build();
        assertTrue(parse(both).integrityMatches(KEY));
        both[both.length - 12] ^= 1; // inside the SHA-256 value
        assertFalse(parse(both).integrityMatches(KEY));
    }

    @Test
    void noIntegrityNeverMatches() {
        StunMessage m = parse(request().fingerprint().build());
        assertFalse(m.hasIntegrity());
        assertFalse(m.integrityMatches(KEY));
    }

    @Test
    void errorResponseRoundTrips() {
        StunMessage m = parse(new StunMessageBuilder(StunMessage.BINDING_ERROR, TXID)
                .errorCode(420, "Unknown Attribute").unknownAttributes(0x7F01, 0x0031, 0x0032).fingerprint().build());
        assertEquals(StunClass.ERROR_RESPONSE, m.messageClass());
        assertEquals(420, m.errorCode());
        assertEquals("Unknown Attribute", m.errorReason());
        assertArrayEquals(new int[] {0x7F01, 0x0031, 0x0032}, m.unknownAttributes());
        assertTrue(m.fingerprintValid());
    }

    @Test
    void iceAttributesRoundTrip() throws Exception {
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 65535);
        StunMessage m = parse(new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID)
                .priority(0xFFFFFFFFL).useCandidate().iceControlling(-1L).xorMappedAddress(v6).build());
        assertEquals(0xFFFFFFFFL, m.priority());
        assertTrue(m.useCandidate());
        assertTrue(m.hasIceControlling());
        assertEquals(-1L, m.iceControlling());
        assertEquals(v6, m.xorMappedAddress());
        assertNull(m.username());
        assertEquals(-1, m.errorCode());
        assertFalse(m.hasFingerprint());
    }

    @Test
    void decodesFromAByteBufWithoutMovingIt() {
        byte[] v = Rfc5769Vectors.REQUEST;
        ByteBuf buf = Unpooled.buffer(v.length + 5);
        try {
            buf.writeBytes(new byte[5]).writeBytes(v).skipBytes(5);
            assertTrue(StunDecoder.looksLikeStun(buf));
            StunParseResult r = StunDecoder.decode(buf);
            assertEquals("evtj:h6vY", assertInstanceOf(StunParseResult.Parsed.class, r).message().username());
            assertEquals(5, buf.readerIndex());
            assertEquals(v.length, buf.readableBytes());
            buf.writerIndex(buf.writerIndex() - 1);
            assertFalse(StunDecoder.looksLikeStun(buf));
        } finally {
            buf.release();
        }
    }

    @Test
    void messageClassAndMethodEncoding() {
        assertEquals(0x0001, StunMessage.BINDING_REQUEST);
        assertEquals(0x0011, StunMessage.BINDING_INDICATION);
        assertEquals(0x0101, StunMessage.BINDING_SUCCESS);
        assertEquals(0x0111, StunMessage.BINDING_ERROR);
        for (StunClass c : StunClass.values()) {
            int t = c.messageType(0xABC);
            assertEquals(c, StunClass.of(t));
            StunMessage m = parse(new StunMessageBuilder(t, TXID).build());
            assertEquals(0xABC, m.method());
        }
    }

    private static StunMessageBuilder request() {
        return new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID).username("abcd:efgh");
    }

    private static void assertBadAttribute(int type, byte[] value) {
        byte[] m = new StunMessageBuilder(StunMessage.BINDING_REQUEST, TXID).attribute(type, value).build();
        StunParseResult r = StunDecoder.decode(m, 0, m.length);
        StunParseResult.Malformed bad = assertInstanceOf(StunParseResult.Malformed.class, r, "type " + type);
        assertEquals(StunMalformation.BAD_ATTRIBUTE, bad.reason());
        assertEquals(type, bad.attributeType());
    }

    private static void assertMalformed(StunMalformation reason, byte[] m) {
        StunParseResult r = StunDecoder.decode(m, 0, m.length);
        assertEquals(reason, assertInstanceOf(StunParseResult.Malformed.class, r, r::toString).reason());
    }

    private static StunMessage parse(byte[] m) {
        return StunRfc5769Test.parse(m);
    }
}
