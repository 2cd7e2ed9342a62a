package io.warmline.bridge.conversation;

/**
 * A voice leg's answer to an ICE restart (RFC 9725 §4.3.3): our new credentials as an
 * {@code application/trickle-ice-sdpfrag} body, and the entity tag of the new ICE session.
 */
public record IceRestarted(String sdpFragment, String etag) {
}
