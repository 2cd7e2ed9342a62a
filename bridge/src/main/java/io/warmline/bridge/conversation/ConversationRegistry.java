package io.warmline.bridge.conversation;

import io.warmline.bridge.internal.Quiescence;
import io.warmline.bridge.recording.Recorder;
import io.warmline.bridge.recording.RecordingView;
import io.warmline.config.RecordingMode;
import io.warmline.bridge.metrics.NodeMetrics;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.warmline.media.time.NanoClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's live conversations. A conversation starts with its first voice leg, is pinned to one event loop (its
 * {@link Conversation} and bridge live there), and is forgotten when its last leg leaves. The maps here are only an
 * index for the API's lookups; all state changes happen on the conversation's loop. Thread-safe.
 */
public final class ConversationRegistry implements Conversations {
    private static final Logger log = LoggerFactory.getLogger(ConversationRegistry.class);
    /** Bounds the conversations of one node (each holds a bridge and at least one leg). */
    public static final int MAX_CONVERSATIONS = 10_000;
    private static final Base64.Encoder IDS = Base64.getUrlEncoder().withoutPadding();

    private final EventLoopGroup loops;
    private final VoiceLegs voiceLegs;
    private final EscalationDialer dialer;
    private final int maxVoiceLegs;
    private final NanoClock clock;
    private final int mixRate;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Conversation> live = new ConcurrentHashMap<>();
    private final Map<String, VoiceLegRef> legs = new ConcurrentHashMap<>();
    private final Map<String, EscalationView> escalations = new ConcurrentHashMap<>();
    private final Quiescence idle = new Quiescence();
    private final NodeMetrics metrics;
    private volatile boolean accepting = true;
    private volatile Recorder recorder = Recorder.disabled();
    private volatile Set<String> recordedTargets = Set.of();

    /**
     * @param mixRate the bridges' mix rate (8000, 16000 or 48000)
     */
    public ConversationRegistry(EventLoopGroup loops, VoiceLegs voiceLegs, EscalationDialer dialer, int maxVoiceLegs,
            NanoClock clock, int mixRate) {
        this(loops, voiceLegs, dialer, maxVoiceLegs, clock, mixRate, new NodeMetrics());
    }

    /**
     * @param mixRate the bridges' mix rate (8000, 16000 or 48000)
     * @param metrics where the conversations' bridges, legs and escalations are counted
     */
    public ConversationRegistry(EventLoopGroup loops, VoiceLegs voiceLegs, EscalationDialer dialer, int maxVoiceLegs,
            NanoClock clock, int mixRate, NodeMetrics metrics) {
        this.metrics = metrics;
        this.loops = loops;
        this.voiceLegs = voiceLegs;
        this.dialer = dialer;
        this.maxVoiceLegs = maxVoiceLegs;
        this.clock = clock;
        this.mixRate = mixRate;
    }

    /**
     * Answers on the calling thread (the HTTP loop) and returns a completed stage: the answer does not wait for the
     * conversation's loop, where the leg then joins the bridge ({@link Conversation#answerVoiceOffer}).
     */
    @Override
    public CompletionStage<VoiceLegOpened> openVoiceLeg(String conversationId, String offerSdp, String tokenId,
            long receivedNanos) {
        if (!accepting) {
            return CompletableFuture.failedFuture(new ConversationException(
                    ConversationException.Kind.NOT_ACCEPTING, "this node is draining and takes no new voice legs"));
        }
        try {
            // A conversation that ended between lookup and reservation is replaced by a fresh one; bounded.
            for (int attempt = 0; attempt < 4; attempt++) {
                Conversation c = live.get(conversationId);
                if (c == null) {
                    if (live.size() >= MAX_CONVERSATIONS) {
                        return CompletableFuture.failedFuture(new ConversationException(
                                ConversationException.Kind.NOT_ACCEPTING, "this node holds " + MAX_CONVERSATIONS
                                + " conversations, its most"));
                    }
                    c = live.computeIfAbsent(conversationId, k -> new Conversation(k, loops.next(), this));
                }
                if (!c.reserveVoice(maxVoiceLegs)) {
                    live.remove(conversationId, c);
                    continue;
                }
                try {
                    return CompletableFuture.completedFuture(c.answerVoiceOffer(offerSdp, tokenId, receivedNanos));
                } catch (RuntimeException e) {
                    // A refused first offer leaves an empty conversation behind: end it before refusing.
                    return onLoop(c, conv -> {
                        conv.endIfEmpty();
                        throw e;
                    });
                }
            }
            return CompletableFuture.failedFuture(new ConversationException(
                    ConversationException.Kind.NOT_ACCEPTING, "conversation " + conversationId + " keeps ending"));
        } catch (ConversationException e) {
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            log.error("Opening a voice leg failed", e);
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Optional<VoiceLegRef> voiceLeg(String conversationId, String legId) {
        return Optional.ofNullable(legs.get(key(conversationId, legId)));
    }

    @Override
    public CompletionStage<Void> trickle(String conversationId, String legId, String ifMatch, String sdpFragment) {
        return withConversation(conversationId, c -> {
            c.trickle(legId, ifMatch, sdpFragment);
            return null;
        });
    }

    @Override
    public CompletionStage<IceRestarted> restartIce(String conversationId, String legId, String sdpFragment) {
        return withConversation(conversationId, c -> c.restartIce(legId, sdpFragment));
    }

    @Override
    public CompletionStage<Void> closeVoiceLeg(String conversationId, String legId, String reason) {
        return withConversation(conversationId, c -> {
            c.closeVoiceLeg(legId, reason);
            return null;
        });
    }

    @Override
    public CompletionStage<EscalationView> escalate(String conversationId, String targetName) {
        return withConversation(conversationId, c -> c.escalate(targetName));
    }

    @Override
    public Optional<EscalationView> escalation(String conversationId, String escalationId) {
        return Optional.ofNullable(escalations.get(key(conversationId, escalationId)));
    }

    @Override
    public CompletionStage<Void> cancelEscalation(String conversationId, String escalationId) {
        return withConversation(conversationId, c -> {
            c.cancelEscalation(escalationId);
            return null;
        });
    }

    @Override
    public CompletionStage<DtmfPressed> pressDigits(String conversationId, String leg, String digits) {
        return withConversation(conversationId, c -> c.pressDigits(leg, digits));
    }

    /**
     * Where conversations are recorded, and the targets whose escalations start a recording when the human's leg
     * joins; before the first conversation.
     */
    public void useRecorder(Recorder recorder, Set<String> recordedTargets) {
        this.recorder = recorder;
        this.recordedTargets = Set.copyOf(recordedTargets);
    }

    /** Starts recording a live conversation (its bridge); {@code mode} null: the configured default. */
    public CompletionStage<RecordingView> startRecording(String conversationId, RecordingMode mode) {
        return withConversation(conversationId, c -> c.startRecording(mode));
    }

    public CompletionStage<RecordingView> stopRecording(String conversationId) {
        return withConversation(conversationId, Conversation::stopRecording);
    }

    public int activeConversations() {
        return live.size();
    }

    public int activeVoiceLegs() {
        return legs.size();
    }

    public void stopAccepting() {
        accepting = false;
    }

    /** Blocks the caller (never an event loop) until no conversation is left or the time is up. */
    public boolean awaitNone(Duration limit) {
        return idle.await(live::isEmpty, limit);
    }

    /** Ends every conversation's legs (drain deadline, shutdown) and waits, bounded, for them to go. */
    public boolean endAll(String reason, Duration wait) {
        CountDownLatch done = new CountDownLatch(live.size());
        for (Conversation c : live.values()) {
            c.loop.execute(() -> {
                try {
                    c.inConversation(() -> c.endAll(reason));
                } finally {
                    done.countDown();
                }
            });
        }
        try {
            return done.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private <T> CompletionStage<T> withConversation(String conversationId, Function<Conversation, T> op) {
        Conversation c = live.get(conversationId);
        if (c == null) {
            return CompletableFuture.failedFuture(new ConversationException(
                    ConversationException.Kind.NO_SUCH_CONVERSATION, "no live conversation " + conversationId));
        }
        return onLoop(c, conv -> {
            if (conv.isEnded()) {
                throw new ConversationException(ConversationException.Kind.NO_SUCH_CONVERSATION,
                        "conversation " + conversationId + " has ended");
            }
            return op.apply(conv);
        });
    }

    private static <T> CompletionStage<T> onLoop(Conversation c, Function<Conversation, T> op) {
        CompletableFuture<T> f = new CompletableFuture<>();
        EventLoop loop = c.loop;
        try {
            loop.execute(() -> c.inConversation(() -> {
                try {
                    f.complete(op.apply(c));
                } catch (ConversationException e) {
                    f.completeExceptionally(e);
                } catch (RuntimeException e) {
                    log.error("Conversation operation failed", e);
                    f.completeExceptionally(e);
                }
            }));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new ConversationException(ConversationException.Kind.NOT_ACCEPTING,
                    "this node is shutting down"));
        }
        return f;
    }

    // Called on the conversation's loop.

    VoiceLegs voiceLegs() {
        return voiceLegs;
    }

    EscalationDialer dialer() {
        return dialer;
    }

    int maxVoiceLegs() {
        return maxVoiceLegs;
    }

    NanoClock clock() {
        return clock;
    }

    Recorder recorder() {
        return recorder;
    }

    boolean recordsTarget(String target) {
        return recordedTargets.contains(target);
    }

    int mixRate() {
        return mixRate;
    }

    NodeMetrics metrics() {
        return metrics;
    }

    /** A fresh random id for a leg or an escalation: 96 bits, URL-safe. */
    String newId() {
        byte[] b = new byte[12];
        random.nextBytes(b);
        return IDS.encodeToString(b);
    }

    /** The live conversation with that id, or null (tests reach its loop-confined methods through it). */
    Conversation live(String conversationId) {
        return live.get(conversationId);
    }

    void indexLeg(VoiceLegRef ref) {
        legs.put(key(ref.conversationId(), ref.legId()), ref);
    }

    void unindexLeg(String conversationId, String legId) {
        legs.remove(key(conversationId, legId));
    }

    void indexEscalation(String conversationId, String escalationId, EscalationView view) {
        escalations.put(key(conversationId, escalationId), view);
    }

    void ended(Conversation c) {
        live.remove(c.id, c);
        String prefix = c.id + "/";
        escalations.keySet().removeIf(k -> k.startsWith(prefix));
        legs.keySet().removeIf(k -> k.startsWith(prefix));
        idle.signal();
    }

    private static String key(String conversationId, String id) {
        return conversationId + "/" + id;
    }

}
