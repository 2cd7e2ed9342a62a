package io.warmline.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A node's whole configuration, as loaded and validated by {@link ConfigLoader}. Immutable. */
public record WarmlineConfig(NodeConfig node, SipConfig sip, HttpConfig http, MediaConfig media,
        Map<String, TrunkConfig> trunks, Map<String, TargetConfig> targets, List<InboundRoute> routes, ApiConfig api) {

    public WarmlineConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(sip, "sip");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(media, "media");
        trunks = orderedCopy(trunks);
        targets = orderedCopy(targets);
        routes = List.copyOf(routes);
        Objects.requireNonNull(api, "api");
    }

    /** Without an {@code api} section: no API keys, default token lifetime and limits. */
    public WarmlineConfig(NodeConfig node, SipConfig sip, HttpConfig http, MediaConfig media,
            Map<String, TrunkConfig> trunks, Map<String, TargetConfig> targets, List<InboundRoute> routes) {
        this(node, sip, http, media, trunks, targets, routes, ApiConfig.DEFAULTS);
    }

    /** The first route whose pattern matches {@code number}, or null. */
    public InboundRoute routeFor(String number) {
        for (InboundRoute r : routes) {
            if (r.number().matches(number)) {
                return r;
            }
        }
        return null;
    }

    static <V> Map<String, V> orderedCopy(Map<String, V> m) {
        Map<String, V> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
        return Collections.unmodifiableMap(copy);
    }
}
