package io.warmline.sip;

import java.util.Locale;
import java.util.Objects;

/**
 * One address the SIP stack listens on.
 *
 * @param transport "udp", "tcp" or "tls" ("tls" needs {@link SipSettings#tls()})
 * @param host      a literal IP address to bind
 * @param port      0..65535; 0 binds an ephemeral port (see {@link SipService#localPort(String)})
 */
public record SipListenPoint(String transport, String host, int port) {
    public SipListenPoint {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(host, "host");
        transport = transport.toLowerCase(Locale.ROOT);
        if (!transport.equals("udp") && !transport.equals("tcp") && !transport.equals("tls")) {
            throw new IllegalArgumentException("transport must be udp, tcp or tls: " + transport);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
