package io.warmline.bridge.conversation;

/** A live WebRTC leg as the API sees it: the id of the token that opened it and its ICE session's entity tag. */
public record VoiceLegRef(String conversationId, String legId, String tokenId, String etag) {
}
