package io.warmline.bridge.conversation;

import java.util.function.LongConsumer;

/**
 * A WebRTC leg that joined its conversation: its id, Warmline's SDP answer and the ICE session's entity tag;
 * {@code answerSent} is told when the answer was written to the browser (the node's nanosecond clock), for the leg's
 * handshake timeline.
 */
public record VoiceLegOpened(String legId, String answerSdp, String etag, LongConsumer answerSent) {

    public VoiceLegOpened(String legId, String answerSdp, String etag) {
        this(legId, answerSdp, etag, nanos -> { });
    }
}
