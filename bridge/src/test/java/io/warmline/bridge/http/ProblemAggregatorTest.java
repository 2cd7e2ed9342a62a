package io.warmline.bridge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.config.HostPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 413 for a body beyond the server's bound, over a real loopback connection. */
class ProblemAggregatorTest {
    private static final int BODY = 200_000;
    private HttpServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = new HttpServer(new HostPort("127.0.0.1", 0), () -> true);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        // Only a bound for a failing run: a cold JVM on a loaded machine may take seconds over its first request.
        s.setSoTimeout(30_000);
        return s;
    }

    private static byte[] head(long contentLength) {
        return ("POST /v1/conversations/c/voice HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one response: its head and Content-Length bytes of body. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in the response head: " + head);
            }
            head.write(b);
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        int at = h.toLowerCase().indexOf("content-length: ") + "content-length: ".length();
        int length = Integer.parseInt(h.substring(at, h.indexOf("\r\n", at)));
        return h + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    @Test
    void aClientSendingItsWholeBodyBeforeReadingGetsThe413AndAnOrderlyClose() throws IOException {
        try (Socket s = connect()) {
            byte[] body = new byte[BODY];
            Arrays.fill(body, (byte) 'a');
            OutputStream out = s.getOutputStream();
            // As an HTTP client does: head and body in one go, then the response. The server refuses on the head,
            // while most of the body is still to come; a server that closed then would reset this write or read.
            out.write(head(BODY));
            out.write(body);
            out.flush();
            String response = readResponse(s.getInputStream());
            assertTrue(response.startsWith("HTTP/1.1 413 "), response);
            assertTrue(response.contains("exceeds " + HttpServer.MAX_BODY + " bytes"), response);
            assertEquals(-1, s.getInputStream().read(), "the server closes after the refused body (FIN, no reset)");
        }
    }

    @Test
    void theRefusalComesBeforeTheBodyAndTheRestOfTheBodyIsStillTaken() throws IOException {
        byte[] body = new byte[BODY];
        Arrays.fill(body, (byte) 'a');
        // A server that closes at once answers the body with a reset, which fails one of the writes once the kernel
        // has handled it (under load, possibly only after the last one): several connections make that certain.
        for (int connection = 0; connection < 5; connection++) {
            try (Socket s = connect()) {
                OutputStream out = s.getOutputStream();
                out.write(head(BODY));
                out.flush();
                String response = readResponse(s.getInputStream());
                assertTrue(response.startsWith("HTTP/1.1 413 "), response);
                // The server has ended its sending half; had it closed the connection, the body would now be reset.
                assertEquals(-1, s.getInputStream().read());
                for (int at = 0; at < BODY; at += 4096) {
                    out.write(body, at, Math.min(4096, BODY - at));
                    out.flush();
                }
                assertEquals(-1, s.getInputStream().read(), "the server closes after the refused body (FIN, no reset)");
            }
        }
    }

    @Test
    void whatIsReadOfARefusedBodyIsBounded() throws IOException {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(head(100L * HttpServer.MAX_DISCARD));
            out.flush();
            assertTrue(readResponse(s.getInputStream()).startsWith("HTTP/1.1 413 "));
            byte[] chunk = new byte[64 * 1024];
            // The server stops reading after MAX_DISCARD more bytes and closes: a write or the read fails or ends.
            assertThrows(IOException.class, () -> {
                for (long sent = 0; sent < 50L * HttpServer.MAX_DISCARD; sent += chunk.length) {
                    out.write(chunk);
                }
                if (s.getInputStream().read() < 0) {
                    throw new IOException("closed");
                }
            });
        }
    }
}
