package io.warmline.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The UDP listener reads every datagram into one reused buffer: each must be parsed at its own length, and replies
 * must leave from the listening socket (a peer that answers the source address depends on it).
 */
class CompactUdpReceiveTest {

    @Test
    void datagramsAreParsedAtTheirOwnLengthAndAnsweredFromTheListeningPort() throws Exception {
        try (SipService s = new SipService(TestSupport.settings(), List.of(TestSupport.permissive(5060)),
                new TestSupport.Handler("udp-reuse"));
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.start();
            int port = s.localPort("udp");
            peer.setSoTimeout(3000);
            for (int i = 1; i <= 3; i++) {
                String longId = "long-" + i + "@l";
                String shortId = "short-" + i + "@l";
                send(peer, port, options(peer, port, longId, i, "X-Pad: " + "a".repeat(8000) + "\r\n"));
                assertReply(peer, port, longId);
                send(peer, port, options(peer, port, shortId, i, ""));
                assertReply(peer, port, shortId);
            }
        }
    }

    private static String options(DatagramSocket peer, int port, String callId, int cseq, String extra) {
        String local = "127.0.0.1:" + peer.getLocalPort();
        return "OPTIONS sip:x@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-" + callId.hashCode() + "-" + cseq + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:carrier@127.0.0.1>;tag=t" + cseq + "\r\n"
                + "To: <sip:x@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " OPTIONS\r\n"
                + extra
                + "Content-Length: 0\r\n\r\n";
    }

    private static void send(DatagramSocket peer, int port, String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
    }

    private static void assertReply(DatagramSocket peer, int port, String callId) throws Exception {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        peer.receive(p);
        String reply = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        assertTrue(reply.startsWith("SIP/2.0 200"), reply);
        assertTrue(reply.contains("Call-ID: " + callId + "\r\n"), reply);
        assertEquals(port, p.getPort(), "reply from the listening port");
    }
}
