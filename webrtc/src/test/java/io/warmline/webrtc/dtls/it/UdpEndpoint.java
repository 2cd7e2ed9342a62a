package io.warmline.webrtc.dtls.it;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A loopback UDP socket for tests: received datagrams go to a consumer (on a reader thread), and the sender writes
 * to the peer, which is fixed up front or learnt from the first datagram received.
 */
final class UdpEndpoint implements AutoCloseable {
    private final DatagramSocket socket;
    private final AtomicReference<InetSocketAddress> peer = new AtomicReference<>();
    private volatile Consumer<byte[]> receiver = d -> { };

    UdpEndpoint() throws SocketException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::loop, "udp-" + socket.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    /** A port that was free a moment ago. */
    static int freePort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    void peer(int port) {
        peer.set(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    void onReceive(Consumer<byte[]> consumer) {
        receiver = consumer;
    }

    Consumer<byte[]> sender() {
        return d -> {
            InetSocketAddress to = peer.get();
            if (to != null) {
                try {
                    socket.send(new DatagramPacket(d, d.length, to));
                } catch (IOException e) {
                    // The peer went away; DTLS retransmission or the handshake bound handles it.
                }
            }
        };
    }

    private void loop() {
        byte[] buf = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            peer.compareAndSet(null, (InetSocketAddress) p.getSocketAddress());
            receiver.accept(Arrays.copyOf(p.getData(), p.getLength()));
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
