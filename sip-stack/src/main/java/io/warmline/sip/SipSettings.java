package io.warmline.sip;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the SIP stack (the bridge maps the operator's config file into this record).
 *
 * @param listen          listening points (at least one)
 * @param advertisedHost  host put in Contact and Via sent-by when set (NAT); null = the listening address
 * @param maxMessageSize  largest SIP message accepted, in bytes (1024..1048576)
 * @param sessionExpires  RFC 4028 session interval we offer and accept at most
 * @param minSe           RFC 4028 Min-SE: smaller intervals are refused with 422. RFC 4028 §5 says at least 90 s;
 *                        smaller values are accepted here only so tests can run fast
 * @param maxCalls        most SIP legs (dialogs, both directions) alive at once; more INVITEs get 503
 * @param t1              RFC 3261 T1 (default 500 ms); every transaction timer and the ACK wait (64*T1) derive
 *                        from it. Lower only in tests.
 * @param tls             certificate, key and trust for TLS listening points and TLS trunks; required when a
 *                        listening point is "tls", else null
 */
public record SipSettings(List<SipListenPoint> listen, String advertisedHost, int maxMessageSize,
                          Duration sessionExpires, Duration minSe, int maxCalls, Duration t1, TlsSettings tls) {

    public static final Duration DEFAULT_T1 = Duration.ofMillis(500);

    public SipSettings(List<SipListenPoint> listen, String advertisedHost, int maxMessageSize,
                       Duration sessionExpires, Duration minSe, int maxCalls) {
        this(listen, advertisedHost, maxMessageSize, sessionExpires, minSe, maxCalls, DEFAULT_T1, null);
    }

    public SipSettings(List<SipListenPoint> listen, String advertisedHost, int maxMessageSize,
                       Duration sessionExpires, Duration minSe, int maxCalls, Duration t1) {
        this(listen, advertisedHost, maxMessageSize, sessionExpires, minSe, maxCalls, t1, null);
    }

    public SipSettings {
        listen = List.copyOf(Objects.requireNonNull(listen, "listen"));
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("at least one listening point is required");
        }
        if (tls == null && listen.stream().anyMatch(lp -> lp.transport().equals("tls"))) {
            throw new IllegalArgumentException("a tls listening point needs TLS settings (keystore)");
        }
        if (advertisedHost != null && advertisedHost.isBlank()) {
            throw new IllegalArgumentException("advertisedHost must not be blank when set");
        }
        if (maxMessageSize < 1024 || maxMessageSize > 1 << 20) {
            throw new IllegalArgumentException("maxMessageSize must be within 1024..1048576: " + maxMessageSize);
        }
        Objects.requireNonNull(sessionExpires, "sessionExpires");
        Objects.requireNonNull(minSe, "minSe");
        Objects.requireNonNull(t1, "t1");
        if (minSe.toSeconds() < 1) {
            throw new IllegalArgumentException("minSe must be at least 1 s: " + minSe);
        }
        if (sessionExpires.compareTo(minSe) < 0) {
            throw new IllegalArgumentException("sessionExpires " + sessionExpires + " is below minSe " + minSe);
        }
        if (maxCalls < 1) {
            throw new IllegalArgumentException("maxCalls must be positive: " + maxCalls);
        }
        if (t1.toMillis() < 1 || t1.toMillis() > 10_000) {
            throw new IllegalArgumentException("t1 must be within 1 ms..10 s: " + t1);
        }
    }

    /** These settings with {@code tls} in place of the current TLS settings. */
    public SipSettings withTls(TlsSettings tls) {
        return new SipSettings(listen, advertisedHost, maxMessageSize, sessionExpires, minSe, maxCalls, t1, tls);
    }
}
