package io.warmline.sip.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A SIP peer over one plain JDK TLS connection (RFC 3261 §18.3 framing by Content-Length). */
public final class TlsPeer implements AutoCloseable {

    private final SSLSocket socket;
    private final InputStream in;

    /** Connects and completes the handshake; {@code protocols} null keeps the JDK's defaults. */
    public TlsPeer(SSLContext ctx, int port, String... protocols) throws IOException {
        socket = (SSLSocket) ctx.getSocketFactory().createSocket();
        SSLParameters p = socket.getSSLParameters();
        if (protocols.length > 0) {
            p.setProtocols(protocols);
        }
        p.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(p);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        socket.startHandshake();
        in = socket.getInputStream();
    }

    public SSLSocket socket() {
        return socket;
    }

    public int port() {
        return socket.getLocalPort();
    }

    public void send(String message) throws IOException {
        socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** The next message on this connection matching {@code p}; others are skipped. */
    public SipMsg await(Predicate<SipMsg> p, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                throw new AssertionError("no matching message within " + timeoutMs + " ms");
            }
            socket.setSoTimeout((int) left);
            SipMsg m;
            try {
                m = read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no matching message within " + timeoutMs + " ms");
            }
            if (m == null) {
                throw new AssertionError("connection closed by the server");
            }
            if (p.test(m)) {
                return m;
            }
        }
    }

    public SipMsg awaitResponse(String method, long timeoutMs) throws IOException {
        return await(m -> m.isResponse() && m.method().equals(method), timeoutMs);
    }

    public SipMsg awaitFinal(String method, long timeoutMs) throws IOException {
        return await(m -> m.isResponse() && m.method().equals(method) && m.status() >= 200, timeoutMs);
    }

    private SipMsg read() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (head.size() == 0 && (b == '\r' || b == '\n')) {
                continue; // keep-alive CRLFs between messages (RFC 5626 §3.5.1)
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String text = head.toString(StandardCharsets.UTF_8);
        int length = 0;
        for (String line : text.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        byte[] all = new byte[head.size() + body.length];
        System.arraycopy(head.toByteArray(), 0, all, 0, head.size());
        System.arraycopy(body, 0, all, head.size(), body.length);
        return SipMsg.parse(all, all.length);
    }

    /** An out-of-dialog request over this connection (Via TLS, Contact with transport=tls). */
    public String request(String method, String ruri, String callId, int cseq, String extra, String sdp) {
        return message(method + " " + ruri + " SIP/2.0", "<sip:carrier@127.0.0.1>;tag=ft" + cseq, "<" + ruri + ">",
                callId, cseq + " " + method, extra, sdp);
    }

    /** ACK for a non-2xx final response: same branch as the INVITE (RFC 3261 §17.1.1.3). */
    public String ackFor(SipMsg invite, SipMsg response) {
        String via = invite.header("via");
        StringBuilder b = new StringBuilder("ACK ").append(invite.requestUri()).append(" SIP/2.0\r\n")
                .append("Via: ").append(via).append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: ").append(invite.header("from")).append("\r\n")
                .append("To: ").append(response.header("to")).append("\r\n")
                .append("Call-ID: ").append(invite.header("call-id")).append("\r\n")
                .append("CSeq: ").append(invite.header("cseq").split(" ")[0]).append(" ACK\r\n")
                .append("Content-Length: 0\r\n\r\n");
        return b.toString();
    }

    private String message(String startLine, String from, String to, String callId, String cseq, String extra,
                           String sdp) {
        StringBuilder b = new StringBuilder(startLine).append("\r\n")
                .append("Via: SIP/2.0/TLS 127.0.0.1:").append(port()).append(";branch=").append(RawPeer.branch())
                .append(";rport\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: ").append(from).append("\r\n")
                .append("To: ").append(to).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(cseq).append("\r\n")
                .append("Contact: <sip:carrier@127.0.0.1:").append(port()).append(";transport=tls>\r\n");
        return RawPeer.withBody(b, extra, sdp);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
