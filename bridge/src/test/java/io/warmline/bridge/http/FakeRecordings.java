package io.warmline.bridge.http;

import io.warmline.bridge.conversation.ConversationException;
import io.warmline.bridge.recording.RecordingView;
import io.warmline.bridge.recording.Recordings;
import io.warmline.config.RecordingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Recordings of a fixed set of live conversations, kept in memory, refusing as the node does. */
final class FakeRecordings implements Recordings {
    private final Set<String> live;
    private final Map<String, RecordingMode> recording = new ConcurrentHashMap<>();

    FakeRecordings(String... live) {
        this.live = Set.of(live);
    }

    @Override
    public CompletionStage<RecordingView> start(String conversationId, RecordingMode mode) {
        if (!live.contains(conversationId)) {
            return refused(ConversationException.Kind.NO_SUCH_CONVERSATION, "no live conversation " + conversationId);
        }
        RecordingMode m = mode != null ? mode : RecordingMode.MIX;
        if (recording.putIfAbsent(conversationId, m) != null) {
            return refused(ConversationException.Kind.ALREADY_RECORDING, "already recording");
        }
        return CompletableFuture.completedFuture(view(conversationId, m));
    }

    @Override
    public CompletionStage<RecordingView> stop(String conversationId) {
        if (!live.contains(conversationId)) {
            return refused(ConversationException.Kind.NO_SUCH_CONVERSATION, "no live conversation " + conversationId);
        }
        RecordingMode m = recording.remove(conversationId);
        if (m == null) {
            return refused(ConversationException.Kind.NOT_RECORDING, "not recording");
        }
        return CompletableFuture.completedFuture(view(conversationId, m));
    }

    private static RecordingView view(String id, RecordingMode m) {
        return new RecordingView(id, m, Instant.parse("2025-01-01T10:00:00Z"),
                List.of("2025-01-01/" + id + "_mix.wav"));
    }

    private static CompletionStage<RecordingView> refused(ConversationException.Kind kind, String detail) {
        return CompletableFuture.failedFuture(new ConversationException(kind, detail));
    }
}
