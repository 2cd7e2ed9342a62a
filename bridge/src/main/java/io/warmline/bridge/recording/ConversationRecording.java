package io.warmline.bridge.recording;

import io.warmline.config.RecordingMode;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.record.Recording;
import io.warmline.media.record.RecordingWriterStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recorders of one conversation's (or carrier call's) bridge. Each is a bridge sink that the hearing matrix
 * lets hear exactly what it records: the mix recorder hears every leg (not the bridge's own players and tones), a
 * participant's recorder hears that one leg. Its owner calls {@link #hear} whenever it builds the bridge's matrix,
 * with the legs in the bridge then; a leg that joins gets its file from then on, one that leaves has its file
 * closed.
 *
 * <p>Not thread-safe: on the bridge's event loop.
 */
public final class ConversationRecording {
    private static final Logger log = LoggerFactory.getLogger(ConversationRecording.class);
    static final String SINK_PREFIX = "rec-";
    static final String MIX = "mix";

    private final Recorder recorder;
    private final MediaBridge bridge;
    private final String conversationId;
    private final RecordingMode mode;
    private final Instant startedAt;
    private final Map<String, Recording> byPart = new LinkedHashMap<>();
    private final List<String> files = new ArrayList<>();
    private boolean stopped;

    ConversationRecording(Recorder recorder, MediaBridge bridge, String conversationId, RecordingMode mode,
            Instant startedAt) {
        this.recorder = recorder;
        this.bridge = bridge;
        this.conversationId = conversationId;
        this.mode = mode;
        this.startedAt = startedAt;
        if (mode.mix()) {
            add(MIX, startedAt);
        }
    }

    /**
     * Brings the participant recorders in line with {@code legs} (the bridge's leg ids) and adds the recorders'
     * edges to {@code matrix}; returns it.
     */
    public HearingMatrix.Builder hear(HearingMatrix.Builder matrix, Collection<String> legs) {
        if (stopped) {
            return matrix;
        }
        if (mode.participants()) {
            for (Iterator<Map.Entry<String, Recording>> it = byPart.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Recording> e = it.next();
                if (!e.getKey().equals(MIX) && !legs.contains(e.getKey())) {
                    bridge.remove(SINK_PREFIX + e.getKey());
                    e.getValue().close();
                    it.remove();
                }
            }
            for (String leg : legs) {
                if (!byPart.containsKey(leg)) {
                    add(leg, recorder.now());
                }
            }
        }
        for (String part : byPart.keySet()) {
            if (part.equals(MIX)) {
                matrix.hears(SINK_PREFIX + MIX, legs.toArray(String[]::new));
            } else {
                matrix.hears(SINK_PREFIX + part, part);
            }
        }
        return matrix;
    }

    /** Removes the recorders from the bridge and closes their files. Idempotent. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        long dropped = 0;
        for (Map.Entry<String, Recording> e : byPart.entrySet()) {
            if (!bridge.isClosed()) {
                bridge.remove(SINK_PREFIX + e.getKey());
            }
            e.getValue().close();
            dropped += e.getValue().droppedSamples();
        }
        byPart.clear();
        RecordingWriterStats s = recorder.stats();
        log.info("Recording stopped: {} file(s), {} s dropped; node: files {} failed {}, seconds written {} dropped "
                        + "{}, stopped low-space {} max-duration {}, write errors {}, queued {}", files.size(),
                dropped / bridge.mixRate(), s.filesOpened(), s.filesFailed(), s.chunksWritten(), s.chunksDropped(),
                s.stoppedLowSpace(), s.stoppedMaxDuration(), s.writeErrors(), s.queuedChunks());
    }

    public boolean isStopped() {
        return stopped;
    }

    public RecordingMode mode() {
        return mode;
    }

    public RecordingView view() {
        return new RecordingView(conversationId, mode, startedAt, files);
    }

    /** Adds a recorder; a bridge that cannot take one more member leaves that part unrecorded (logged). */
    private void add(String part, Instant start) {
        Recording r = recorder.open(conversationId, start, part, bridge.mixRate());
        try {
            bridge.addSink(SINK_PREFIX + part, r);
        } catch (IllegalStateException | IllegalArgumentException e) {
            log.warn("Cannot record {}: {}", part, e.getMessage());
            r.close();
            return;
        }
        byPart.put(part, r);
        files.add(recorder.files().relative(r.file()));
    }
}
