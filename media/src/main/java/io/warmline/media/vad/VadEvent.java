package io.warmline.media.vad;

/** What one analysed frame changed. */
public enum VadEvent {
    NONE,
    /** Speech began (at {@link VoiceActivityDetector#speechStartNanos()}). */
    SPEECH_STARTED,
    /** Speech ended after {@link VoiceActivityDetector#silenceMillis()} of silence. */
    SPEECH_ENDED
}
