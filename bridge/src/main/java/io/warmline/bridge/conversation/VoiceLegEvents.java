package io.warmline.bridge.conversation;

/** What a WebRTC leg reports about itself, on its event loop. */
public interface VoiceLegEvents {
    /** ICE nominated and DTLS-SRTP keyed: media can flow. */
    void onConnected();

    /** The leg ended by itself; {@code reason} such as {@code consent-lost}, {@code dtls-closed}. */
    void onEnded(String reason);
}
