package io.warmline.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A node's whole configuration, as loaded and validated by {@link ConfigLoader}. Immutable. */
public record WarmlineConfig(NodeConfig node, SipConfig sip, HttpConfig http, MediaConfig media,
        Map<String, TrunkConfig> trunks, Map<String, TargetConfig> targets, List<InboundRoute> routes, ApiConfig api,
        WebRtcConfig webrtc, RecordingConfig recording) {

    public WarmlineConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(sip, "sip");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(media, "media");
        trunks = orderedCopy(trunks);
        targets = orderedCopy(targets);
        routes = List.copyOf(routes);
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(webrtc, "webrtc");
        Objects.requireNonNull(recording, "recording");
    }

    /** Without a {@code recording} section. */
    public WarmlineConfig(NodeConfig node, SipConfig sip, HttpConfig http, MediaConfig media,
            Map<String, TrunkConfig> trunks, Map<String, TargetConfig> targets, List<InboundRoute> routes, ApiConfig api,
            WebRtcConfig webrtc) {
        this(node, sip, http, media, trunks, targets, routes, api, webrtc, RecordingConfig.NONE);
    }

    /**
     * Without {@code api} and {@code webrtc} sections: no API keys, default token lifetime and limits; WebRTC on the
     * default port of the advertised address when that is an IP literal (else on the loopback address).
     */
    public WarmlineConfig(NodeConfig node, SipConfig sip, HttpConfig http, MediaConfig media,
            Map<String, TrunkConfig> trunks, Map<String, TargetConfig> targets, List<InboundRoute> routes) {
        this(node, sip, http, media, trunks, targets, routes, ApiConfig.DEFAULTS, defaultWebRtc(node));
    }

    private static WebRtcConfig defaultWebRtc(NodeConfig node) {
        java.net.InetAddress a;
        try {
            a = io.warmline.config.internal.IpLiterals.parse(node.advertisedAddress()) != null
                    ? io.warmline.config.internal.IpLiterals.toAddress(
                            io.warmline.config.internal.IpLiterals.parse(node.advertisedAddress()))
                    : java.net.InetAddress.getLoopbackAddress();
        } catch (IllegalArgumentException e) {
            a = java.net.InetAddress.getLoopbackAddress();
        }
        return new WebRtcConfig(List.of(a), WebRtcConfig.DEFAULT_PORT, true, WebRtcConfig.DEFAULT_HANDSHAKE_TIMEOUT);
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
