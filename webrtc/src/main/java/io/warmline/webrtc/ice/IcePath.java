package io.warmline.webrtc.ice;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a peer is reached: a transport and the peer's address on it. For a lite agent with one shared port this is
 * the candidate pair (RFC 8445 §6.1.2.2), since our side of every pair is that port; for TCP the remote address names
 * the connection.
 */
public record IcePath(IceTransport transport, InetSocketAddress remote) {

    public IcePath {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(remote, "remote");
        if (remote.isUnresolved()) {
            throw new IllegalArgumentException("an IP address is needed, got " + remote);
        }
    }

    public static IcePath udp(InetSocketAddress remote) {
        return new IcePath(IceTransport.UDP, remote);
    }

    public static IcePath tcp(InetSocketAddress remote) {
        return new IcePath(IceTransport.TCP, remote);
    }
}
