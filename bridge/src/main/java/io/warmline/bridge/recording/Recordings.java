package io.warmline.bridge.recording;

import io.warmline.config.RecordingMode;
import java.util.concurrent.CompletionStage;

/**
 * Recording on demand, for the control API. Each operation runs on the conversation's (or carrier call's) event
 * loop and fails with a {@link io.warmline.bridge.conversation.ConversationException}: no such conversation (404),
 * already recording or not recording (409), recording not configured (409).
 */
public interface Recordings {

    /** Starts recording a live conversation or carrier call; {@code mode} null: the configured default. */
    CompletionStage<RecordingView> start(String conversationId, RecordingMode mode);

    /** Stops it; the files are closed (complete WAVs) by the node's writer shortly after. */
    CompletionStage<RecordingView> stop(String conversationId);
}
