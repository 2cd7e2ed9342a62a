package io.warmline.bridge.http;

import io.warmline.bridge.auth.ApiKeys;
import io.warmline.bridge.auth.WidgetTokens;
import io.warmline.bridge.conversation.Conversations;
import io.warmline.config.ApiConfig;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code /v1} API's parts, built once from config: authentication, CORS, the voice and escalation routes. */
public final class ControlApi {
    private static final Logger log = LoggerFactory.getLogger(ControlApi.class);

    final ApiAuth auth;
    final Cors cors;
    final VoiceRoutes voice;
    final EscalationRoutes escalations;
    final DtmfRoutes dtmf;

    ControlApi(ApiAuth auth, Cors cors, Conversations conversations, List<String> targets) {
        this.auth = auth;
        this.cors = cors;
        this.voice = new VoiceRoutes(auth, conversations);
        this.escalations = new EscalationRoutes(auth, conversations, targets);
        this.dtmf = new DtmfRoutes(auth, conversations);
    }

    /**
     * @param targets names of the configured targets, the only ones an escalation may dial
     */
    public static ControlApi create(ApiConfig config, List<String> targets, Conversations conversations,
            InstantSource clock) {
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
        return new ControlApi(auth, new Cors(config.widgetOrigins()), conversations, targets);
    }
}
