/**
 * STUN messages (RFC 8489) as ICE uses them: {@link io.warmline.webrtc.stun.StunDecoder} (bounded, typed results),
 * {@link io.warmline.webrtc.stun.StunMessage} (decoded view, integrity check) and
 * {@link io.warmline.webrtc.stun.StunMessageBuilder}.
 */
package io.warmline.webrtc.stun;
