package io.warmline.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.warmline.webrtc.ice.IceLiteAgent;
import io.warmline.webrtc.ice.IceLiteOptions;
import io.warmline.webrtc.ice.IcePath;
import io.warmline.webrtc.ice.StunVerdict;
import io.warmline.webrtc.sdp.IceCredentials;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Shared property check for the seed-corpus test and the fuzz test. */
final class StunFuzzTarget {

    private static final byte[] KEY = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    private StunFuzzTarget() {
    }

    private static final IcePath FROM =
            IcePath.udp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 50000));

    /**
     * Decodes {@code data}; for a message, reads every accessor and checks what must hold of any decoded message. Also
     * hands it to an ICE-lite agent with a leg holding RFC 5769's credentials (ufrag "evtj"), so the sample request
     * reaches the authenticated paths; any answer must be a well-formed STUN message with a valid FINGERPRINT.
     */
    static boolean check(byte[] data) {
        IceLiteAgent agent = new IceLiteAgent(IceLiteOptions.defaults(), new SplittableRandom(1));
        agent.addLeg("fuzz", new IceCredentials("evtj", "VOkJxbRl1RmTxUk/WvJxBt"), null, 0);
        ByteBuf buf = Unpooled.wrappedBuffer(data);
        try {
            if (agent.handleStun(buf, FROM, 0) instanceof StunVerdict.Reply reply) {
                StunParseResult answer = StunDecoder.decode(reply.message(), 0, reply.message().length);
                assertTrue(answer instanceof StunParseResult.Parsed a && a.message().fingerprintValid());
            }
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
        StunParseResult r = StunDecoder.decode(data, 0, data.length);
        if (!(r instanceof StunParseResult.Parsed p)) {
            return false;
        }
        StunMessage m = p.message();
        assertEquals(data.length, m.length());
        assertTrue(data.length >= StunMessage.HEADER_LENGTH && data.length % 4 == 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 8, 20), m.transactionId());
        StunClass.of(m.messageType());
        m.method();
        m.username();
        m.software();
        m.priority();
        m.xorMappedAddress();
        m.errorCode();
        m.unknownAttributes();
        assertTrue(m.unknownComprehensionRequired().length <= StunDecoder.MAX_ATTRIBUTES);
        m.integrityMatches(KEY);
        m.fingerprintValid();
        return true;
    }
}
