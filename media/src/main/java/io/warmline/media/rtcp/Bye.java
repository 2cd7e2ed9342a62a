package io.warmline.media.rtcp;

import java.util.List;

/**
 * Goodbye (RFC 3550 §6.6): at most 31 sources leaving and an optional reason (UTF-8, at most 255 bytes on the wire).
 *
 * @param reason the reason for leaving, or null when none was given
 */
public record Bye(List<Long> ssrcs, String reason) implements RtcpPacket {

    public Bye {
        ssrcs = RtcpFields.checkCount("sources", ssrcs);
        for (long ssrc : ssrcs) {
            RtcpFields.checkU32("ssrc", ssrc);
        }
    }

    public static Bye of(long ssrc) {
        return new Bye(List.of(ssrc), null);
    }

    @Override
    public int packetType() {
        return TYPE_BYE;
    }
}
