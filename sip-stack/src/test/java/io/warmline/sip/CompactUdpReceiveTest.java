package io.warmline.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import io.warmline.sip.internal.SipCore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sip.message.Request;
import javax.sip.message.Response;
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

    /**
     * A burst of one Call-ID's requests, sent faster than one worker answers them, fills that Call-ID's lane: the
     * datagrams that find it full are dropped and counted, and the worker works through the lane's backlog.
     */
    @Test
    void aBurstOnOneCallIdFillsItsLaneAndTheDropsAreCounted() throws Exception {
        try (SipService s = new SipService(TestSupport.settings(), List.of(TestSupport.permissive(5060)),
                new TestSupport.Handler("udp-burst"));
             DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertEquals(UdpLaneStats.NONE, s.udpLaneStats());
            s.start();
            int port = s.localPort("udp");
            UdpLaneStats before = s.udpLaneStats();
            assertTrue(before.lanes() >= 1);
            assertEquals(0, before.fullDrops());
            // Each round sends three lanes' worth; the worker's replies pile up unread in the peer's socket.
            int cseq = 0;
            for (int round = 0; round < 20 && s.udpLaneStats().fullDrops() == 0; round++) {
                for (int i = 0; i < 3 * before.capacity(); i++) {
                    cseq++;
                    send(peer, port, options(peer, port, "burst@l", cseq, ""));
                }
            }
            UdpLaneStats after = s.udpLaneStats();
            assertTrue(after.fullDrops() > 0, "no datagram found its lane full: " + after);
            assertEquals(after.capacity(), after.peakDepth(), "the lane was full");
            // An ACK on the same Call-ID queues behind the burst's backlog in the same lane: when the listener
            // sees it, the worker has worked through the lane (answers to the burst's thousands of OPTIONS fill the
            // transaction table for a while, so an ACK, which needs no transaction, is the marker).
            CompletableFuture<Request> marker = new CompletableFuture<>();
            s.core().setObserver(new SipCore.Observer() {
                @Override
                public void requestReceived(Request request) {
                    if (request.getMethod().equals(Request.ACK)) {
                        marker.complete(request);
                    }
                }

                @Override
                public void responseSent(Response response) {
                }
            });
            // The lane may still be full when the ACK arrives (then it is dropped too): send it again each second.
            for (int i = 0; i < 60 && !marker.isDone(); i++) {
                send(peer, port, ack(peer, port, "burst@l", cseq));
                try {
                    marker.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    // not yet through the backlog
                }
            }
            assertTrue(marker.isDone(), "the ACK behind the burst never reached the listener: " + s.udpLaneStats());
        }
    }

    private static String ack(DatagramSocket peer, int port, String callId, int cseq) {
        return options(peer, port, callId, cseq, "").replace("OPTIONS", "ACK");
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
