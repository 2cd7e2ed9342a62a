package io.warmline.bridge.recording;

import io.warmline.config.RecordingMode;
import java.time.Instant;
import java.util.List;

/**
 * A conversation's recording as the API reports it.
 *
 * @param files the files written so far, relative to the recording directory; empty while the call's media is not
 *     yet terminated (the recording starts when it is)
 */
public record RecordingView(String conversationId, RecordingMode mode, Instant startedAt, List<String> files) {
    public RecordingView {
        files = List.copyOf(files);
    }
}
