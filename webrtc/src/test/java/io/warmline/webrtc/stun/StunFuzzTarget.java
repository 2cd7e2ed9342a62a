package io.warmline.webrtc.stun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

/** Shared property check for the seed-corpus test and the fuzz test. */
final class StunFuzzTarget {

    private static final byte[] KEY = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    private StunFuzzTarget() {
    }

    /** Decodes {@code data}; for a message, reads every accessor and checks what must hold of any decoded message. */
    static boolean check(byte[] data) {
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
