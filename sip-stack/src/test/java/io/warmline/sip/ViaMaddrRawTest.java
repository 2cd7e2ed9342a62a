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
 * RFC 3261 §18.2.2 sends a response over UDP to the top Via's {@code maddr}. The RI looks a host name there up with
 * {@code InetAddress.getByName} on the thread that sends the response, which for requests answered at once is the SIP
 * worker of the request's lane: one request naming a slow or unreachable name would hold up every call of that lane
 * for the resolver's timeout. A host name in {@code maddr} is ignored (the response goes where it would without it);
 * an IP address there is still used.
 *
 * <p>The peer's two sockets share a port on 127.0.0.2 and 127.0.0.1, and {@code localhost} names 127.0.0.1 in
 * /etc/hosts (no DNS traffic): the socket the answer reaches tells whether {@code maddr} was resolved.
 */
class ViaMaddrRawTest {

    @Test
    void aHostNameInTheViaMaddrIsNotResolvedTheAnswerGoesToTheSentBy() throws Exception {
        assertEquals("127.0.0.1", InetAddress.getByName("localhost").getHostAddress(), "/etc/hosts: localhost");
        try (SipService s = new SipService(TestSupport.settings(), List.of(TestSupport.permissive(5060)),
                new TestSupport.Handler("maddr"));
             DatagramSocket sentBy = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
            s.start();
            int port = s.localPort("udp");
            int peerPort = sentBy.getLocalPort();
            try (DatagramSocket maddr = new DatagramSocket(new InetSocketAddress("127.0.0.1", peerPort))) {
                sentBy.setSoTimeout(5000);
                send(sentBy, port, options("127.0.0.2:" + peerPort + ";maddr=localhost", "name@l", port));
                String reply = receive(sentBy);
                assertTrue(reply.startsWith("SIP/2.0 200"), reply);
                assertTrue(reply.contains("Call-ID: name@l"), reply);

                // An IP address in maddr is still where the answer goes.
                maddr.setSoTimeout(5000);
                send(sentBy, port, options("127.0.0.2:" + peerPort + ";maddr=127.0.0.1", "ip@l", port));
                String viaIp = receive(maddr);
                assertTrue(viaIp.startsWith("SIP/2.0 200"), viaIp);
                assertTrue(viaIp.contains("Call-ID: ip@l"), viaIp);
            }
        }
    }

    private static String options(String via, String callId, int port) {
        return "OPTIONS sip:x@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + via + ";branch=z9hG4bK-" + callId.hashCode() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:carrier@127.0.0.2>;tag=m1\r\n"
                + "To: <sip:x@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private static void send(DatagramSocket from, int port, String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
    }

    private static String receive(DatagramSocket socket) throws Exception {
        byte[] buf = new byte[65536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    }
}
