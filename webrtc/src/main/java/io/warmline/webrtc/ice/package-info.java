/**
 * ICE-lite (RFC 8445 §2.5) for the shared WebRTC port: {@link io.warmline.webrtc.ice.IceLiteAgent} answers the
 * browsers' checks, tracks nomination and consent (RFC 7675); {@link io.warmline.webrtc.ice.Rfc4571Decoder} and
 * {@link io.warmline.webrtc.ice.Rfc4571Encoder} frame packets on passive ICE-TCP connections (RFC 6544). All sans-IO.
 * Host candidates for the answer come from {@link io.warmline.webrtc.sdp.IceCandidate#hostCandidates}.
 */
package io.warmline.webrtc.ice;
