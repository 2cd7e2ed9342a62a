package io.warmline.bridge.conversation;

import io.netty.channel.EventLoop;

/**
 * Where WebRTC legs come from: the node's WebRTC endpoint (ICE-lite, DTLS-SRTP) behind a small interface, so a
 * conversation needs to know only that a leg answers an offer and then is an RTP endpoint on its loop.
 */
public interface VoiceLegs {

    /**
     * Answers {@code offerSdp} with a new leg owned by {@code loop}. Called on {@code loop}.
     *
     * @param receivedNanos when the offer arrived (the node's nanosecond clock): the leg's handshake counts from it
     * @param events told (on {@code loop}) when the leg connects and when it ends by itself (consent lost, DTLS
     *     closed, handshake failed)
     * @throws ConversationException of kind {@link ConversationException.Kind#OFFER_REFUSED} (with the reason) when
     *     the offer cannot be served, or {@link ConversationException.Kind#MEDIA_UNAVAILABLE}
     */
    AcceptedVoiceLeg accept(String offerSdp, EventLoop loop, long receivedNanos, VoiceLegEvents events);
}
