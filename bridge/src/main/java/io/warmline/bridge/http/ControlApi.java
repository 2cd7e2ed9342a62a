package io.warmline.bridge.http;

import io.warmline.bridge.auth.ApiKeys;
import io.warmline.bridge.auth.WidgetTokens;
import io.warmline.bridge.conversation.ConversationException;
import io.warmline.bridge.conversation.Conversations;
import io.warmline.bridge.metrics.NodeMetrics;
import io.warmline.bridge.recording.RecordingView;
import io.warmline.bridge.recording.Recordings;
import io.warmline.config.RecordingMode;
import io.warmline.config.ApiConfig;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's parts, built once from config: authentication, CORS, the voice, escalation and recording routes, and
 * the node's meters for {@code /metrics}.
 */
public final class ControlApi {
    private static final Logger log = LoggerFactory.getLogger(ControlApi.class);

    final ApiAuth auth;
    final Cors cors;
    final VoiceRoutes voice;
    final EscalationRoutes escalations;
    final DtmfRoutes dtmf;
    final RecordingRoutes recording;
    final NodeMetrics metrics;

    ControlApi(ApiAuth auth, Cors cors, Conversations conversations, List<String> targets) {
        this(auth, cors, conversations, targets, NO_RECORDINGS, new NodeMetrics());
    }

    ControlApi(ApiAuth auth, Cors cors, Conversations conversations, List<String> targets, Recordings recordings,
            NodeMetrics metrics) {
        this.metrics = metrics;
        this.auth = auth;
        this.cors = cors;
        this.voice = new VoiceRoutes(auth, conversations);
        this.escalations = new EscalationRoutes(auth, conversations, targets);
        this.dtmf = new DtmfRoutes(auth, conversations);
        this.recording = new RecordingRoutes(auth, recordings);
    }

    /** A node that records nothing: every conversation is unknown to it. */
    private static final Recordings NO_RECORDINGS = new Recordings() {
        @Override
        public CompletionStage<RecordingView> start(String conversationId, RecordingMode mode) {
            return unknown(conversationId);
        }

        @Override
        public CompletionStage<RecordingView> stop(String conversationId) {
            return unknown(conversationId);
        }

        private CompletionStage<RecordingView> unknown(String id) {
            return CompletableFuture.failedFuture(new ConversationException(
                    ConversationException.Kind.NO_SUCH_CONVERSATION, "no live conversation " + id));
        }
    };

    /**
     * @param targets names of the configured targets, the only ones an escalation may dial
     */
    public static ControlApi create(ApiConfig config, List<String> targets, Conversations conversations,
            InstantSource clock) {
        return create(config, targets, conversations, NO_RECORDINGS, clock);
    }

    /**
     * @param recordings starts and stops recordings of live conversations and carrier calls
     */
    public static ControlApi create(ApiConfig config, List<String> targets, Conversations conversations,
            Recordings recordings, InstantSource clock) {
        return create(config, targets, conversations, recordings, clock, new NodeMetrics());
    }

    /**
     * @param recordings starts and stops recordings of live conversations and carrier calls
     * @param metrics the meters {@code GET /metrics} renders
     */
    public static ControlApi create(ApiConfig config, List<String> targets, Conversations conversations,
            Recordings recordings, InstantSource clock, NodeMetrics metrics) {
        byte[] secret;
        if (config.tokenSecret() != null) {
            secret = config.tokenSecret().reveal().getBytes(StandardCharsets.UTF_8);
        } else {
            secret = WidgetTokens.generateSecret();
            log.warn("No api.token-secret-env configured: widget tokens are signed with a key generated at start and"
                    + " stop verifying when this node restarts (and on other nodes)");
        }
        if (config.keys().isEmpty()) {
            log.warn("No api.keys configured: voice tokens cannot be minted and escalations cannot be requested");
        }
        ApiAuth auth = new ApiAuth(ApiKeys.of(config.keys()), new WidgetTokens(secret, config.tokenTtl(),
                new SecureRandom()), clock);
        return new ControlApi(auth, new Cors(config.widgetOrigins()), conversations, targets, recordings,
                metrics);
    }
}
