package io.warmline.media.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Shared property check for the seed-corpus test and the fuzz test. */
final class RtpFuzzTarget {

    private RtpFuzzTarget() {
    }

    /** Classifies {@code data}; for a valid packet, checks that the derived lengths are consistent. */
    static boolean check(byte[] data) {
        ByteBuf buf = Unpooled.buffer(data.length + 3);
        try {
            buf.writeBytes(new byte[] {9, 9, 9});
            buf.writeBytes(data);
            buf.skipBytes(3);
            boolean valid = RtpHeader.isValid(buf);
            RtpDemux.isRtp(buf);
            RtpDemux.isRtcp(buf);
            if (valid) {
                int header = RtpHeader.headerLength(buf);
                int payload = RtpHeader.payloadLength(buf);
                assertTrue(header >= RtpHeader.FIXED_HEADER_LENGTH && header <= data.length);
                assertTrue(payload >= 0 && header + payload <= data.length);
                assertEquals(header + payload + RtpHeader.paddingLength(buf), data.length);
                RtpHeader.payloadType(buf);
                RtpHeader.marker(buf);
                RtpHeader.sequence(buf);
                RtpHeader.timestamp(buf);
                RtpHeader.ssrc(buf);
                assertEquals(3, buf.readerIndex());
            }
            return valid;
        } finally {
            buf.release();
        }
    }
}
