package io.warmline.media.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.warmline.media.rtp.RtpHeader;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/** A plain-socket RTP peer on loopback for tests. Receives block for at most {@link #TIMEOUT_MILLIS}. */
final class UdpPeer implements AutoCloseable {

    static final int TIMEOUT_MILLIS = 3000;
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final DatagramSocket socket;

    UdpPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        socket.setSoTimeout(TIMEOUT_MILLIS);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    void sendTo(int port, byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, new InetSocketAddress(LOOPBACK, port)));
    }

    /** Blocks for one datagram (bounded by the socket timeout). */
    byte[] receive() throws IOException {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return Arrays.copyOf(buf, p.getLength());
    }

    /** Waits a short bounded time for a datagram; null when none came. */
    byte[] receiveOrNull(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            return receive();
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            socket.setSoTimeout(TIMEOUT_MILLIS);
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    static byte[] rtp(int pt, boolean marker, int seq, long ts, long ssrc, byte[] payload) {
        ByteBuf b = Unpooled.buffer(12 + payload.length);
        try {
            RtpHeader.writeHeader(b, pt, marker, seq, ts, ssrc);
            b.writeBytes(payload);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] payload(int length, int seed) {
        byte[] p = new byte[length];
        for (int i = 0; i < length; i++) {
            p[i] = (byte) (seed * 31 + i * 7);
        }
        return p;
    }

    /** A range of {@code pairs} port pairs that were free when checked. */
    static int[] freeRange(int pairs) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + 2 * ThreadLocalRandom.current().nextInt(15000);
            DatagramSocket[] held = new DatagramSocket[pairs * 2];
            boolean ok = true;
            try {
                for (int i = 0; i < held.length; i++) {
                    held[i] = new DatagramSocket(new InetSocketAddress(LOOPBACK, base + i));
                }
            } catch (IOException e) {
                ok = false;
            } finally {
                for (DatagramSocket s : held) {
                    if (s != null) {
                        s.close();
                    }
                }
            }
            if (ok) {
                return new int[] {base, base + pairs * 2 - 1};
            }
        }
        throw new IllegalStateException("no free port range on loopback");
    }
}
