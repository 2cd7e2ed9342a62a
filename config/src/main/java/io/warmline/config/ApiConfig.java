package io.warmline.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The control API's credentials and limits.
 *
 * @param keys API keys of the company backends, by name ({@code api.keys.<name>.key-env})
 * @param tokenTtl how long a widget voice token minted by the API stays valid
 * @param tokenSecret the HMAC key of widget tokens; null: generated at start, so tokens do not survive a restart
 * @param widgetOrigins the browser origins (e.g. {@code https://www.example.com}) allowed by CORS to use the voice API
 * @param maxVoiceLegs the most WebRTC legs one conversation may have at once
 */
public record ApiConfig(Map<String, Secret> keys, Duration tokenTtl, Secret tokenSecret, List<String> widgetOrigins,
        int maxVoiceLegs) {

    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_VOICE_LEGS = 2;
    public static final ApiConfig DEFAULTS = new ApiConfig(Map.of(), DEFAULT_TOKEN_TTL, null, List.of(),
            DEFAULT_MAX_VOICE_LEGS);

    public ApiConfig {
        keys = WarmlineConfig.orderedCopy(keys);
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        widgetOrigins = List.copyOf(widgetOrigins);
        if (maxVoiceLegs < 1) {
            throw new IllegalArgumentException("maxVoiceLegs must be positive");
        }
    }
}
