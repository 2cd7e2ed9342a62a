package io.warmline.bridge.conversation;

/** A WebRTC leg that joined its conversation: its id, Warmline's SDP answer and the ICE session's entity tag. */
public record VoiceLegOpened(String legId, String answerSdp, String etag) {
}
