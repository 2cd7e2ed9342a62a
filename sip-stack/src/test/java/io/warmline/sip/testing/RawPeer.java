package io.warmline.sip.testing;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** A raw UDP SIP peer on loopback for tests: sends text, waits (bounded) for what comes back. */
public final class RawPeer implements AutoCloseable {

    private final DatagramSocket socket;
    private final InetSocketAddress target;
    private final List<SipMsg> backlog = new ArrayList<>();

    public RawPeer(String bindHost, int targetPort) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(bindHost), 0));
        target = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), targetPort);
    }

    public String host() {
        return socket.getLocalAddress().getHostAddress();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void send(String message) throws IOException {
        sendRaw(message.getBytes(StandardCharsets.UTF_8));
    }

    public void sendRaw(byte[] data) throws IOException {
        socket.send(new DatagramPacket(data, data.length, target));
    }

    /** Sends to wherever a received message came from (the service's port). */
    public void sendTo(int port, String message) throws IOException {
        byte[] data = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(data, data.length, new InetSocketAddress(target.getAddress(), port)));
    }

    /** The next message matching {@code p} within {@code timeoutMs}; others are kept for later calls. */
    public SipMsg await(Predicate<SipMsg> p, long timeoutMs) throws IOException {
        for (int i = 0; i < backlog.size(); i++) {
            if (p.test(backlog.get(i))) {
                return backlog.remove(i);
            }
        }
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        byte[] buf = new byte[65535];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("nothing matching within " + timeoutMs + " ms; got " + backlog);
            }
            socket.setSoTimeout((int) Math.max(1, left));
            DatagramPacket pk = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(pk);
            } catch (SocketTimeoutException e) {
                continue;
            }
            SipMsg m = SipMsg.parse(pk.getData(), pk.getLength());
            if (p.test(m)) {
                return m;
            }
            backlog.add(m);
        }
    }

    /** As {@link #await}, but null when nothing matching arrives within {@code timeoutMs}. */
    public SipMsg poll(Predicate<SipMsg> p, long timeoutMs) throws IOException {
        try {
            return await(p, timeoutMs);
        } catch (AssertionError nothing) {
            return null;
        }
    }

    public SipMsg awaitResponse(String method, long timeoutMs) throws IOException {
        return await(m -> m.isResponse() && m.method().equals(method) && m.status() >= 100, timeoutMs);
    }

    public SipMsg awaitFinal(String method, long timeoutMs) throws IOException {
        return await(m -> m.isResponse() && m.method().equals(method) && m.status() >= 200, timeoutMs);
    }

    public SipMsg awaitRequest(String method, long timeoutMs) throws IOException {
        return await(m -> !m.isResponse() && m.method().equals(method), timeoutMs);
    }

    /**
     * The next request of {@code previous}'s method with a higher CSeq: a retransmission of {@code previous} (its
     * timer A fires every 500 ms, soon on a busy machine) is skipped.
     */
    public SipMsg awaitNewRequest(SipMsg previous, long timeoutMs) throws IOException {
        long cseq = cseqNumber(previous);
        return await(m -> !m.isResponse() && m.method().equals(previous.method()) && cseqNumber(m) > cseq, timeoutMs);
    }

    private static long cseqNumber(SipMsg m) {
        return Long.parseLong(m.header("cseq").trim().split("\\s+")[0]);
    }

    public static String branch() {
        return "z9hG4bK" + UUID.randomUUID().toString().replace("-", "");
    }

    /** An out-of-dialog request from this peer. */
    public String request(String method, String ruri, String callId, int cseq, String extra, String sdp) {
        StringBuilder b = new StringBuilder(method).append(' ').append(ruri).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP ").append(host()).append(':').append(port()).append(";branch=")
                .append(branch()).append(";rport\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: <sip:carrier@").append(host()).append(">;tag=ft").append(cseq).append("\r\n")
                .append("To: <").append(ruri).append(">\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n")
                .append("Contact: <sip:carrier@").append(host()).append(':').append(port()).append(">\r\n");
        return withBody(b, extra, sdp);
    }

    /** ACK for a 2xx (new branch) or in-dialog request built from the INVITE and its response. */
    public String inDialog(String method, SipMsg invite, SipMsg response, int cseq, String extra, String sdp) {
        return inDialog(method, invite, response, cseq, extra, sdp == null ? null : "application/sdp", sdp);
    }

    /** As {@link #inDialog(String, SipMsg, SipMsg, int, String, String)} with a body of any type. */
    public String inDialog(String method, SipMsg invite, SipMsg response, int cseq, String extra, String contentType,
                           String body) {
        String target = response.header("contact");
        String uri = target.substring(target.indexOf('<') + 1, target.indexOf('>'));
        StringBuilder b = new StringBuilder(method).append(' ').append(uri).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP ").append(host()).append(':').append(port()).append(";branch=")
                .append(branch()).append(";rport\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: ").append(invite.header("from")).append("\r\n")
                .append("To: ").append(response.header("to")).append("\r\n")
                .append("Call-ID: ").append(invite.header("call-id")).append("\r\n")
                .append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n")
                .append("Contact: <sip:carrier@").append(host()).append(':').append(port()).append(">\r\n");
        return withBody(b, extra, contentType, body);
    }

    /** {@code head} (start line and headers), then {@code extra} headers and an optional SDP body with its length. */
    static String withBody(StringBuilder head, String extra, String sdp) {
        return withBody(head, extra, sdp == null ? null : "application/sdp", sdp);
    }

    /** {@code head}, then {@code extra} headers and an optional body of {@code contentType} with its length. */
    static String withBody(StringBuilder head, String extra, String contentType, String body) {
        if (extra != null) {
            head.append(extra);
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null && contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        if (body != null) {
            head.append(body);
        }
        return head.toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
