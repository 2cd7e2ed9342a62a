package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every RFC 4475 torture message sent to Warmline over UDP as raw bytes, one by one; afterwards the process is
 * alive, answers OPTIONS and /healthz, and still bridges a normal SIPp call. Answers to the torture messages go
 * where their Via says (RFC 3261 section 18.2.2), so only some come back to this socket; those are written to
 * {@code rfc4475-answers.txt} and their status lines are checked for well-formedness. Per-message verdicts are graded
 * by the sip-stack's own tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Rfc4475PeerTest {
    /** RFC 3261 section 7.2: Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF, no CR or LF inside. */
    private static final Pattern STATUS_LINE = Pattern.compile("SIP/2\\.0 [1-6][0-9][0-9] [^\\r\\n]*\\r\\n");

    private PeerNode node;
    private final List<String> answers = new ArrayList<>();

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.start("Rfc4475PeerTest", Duration.ofSeconds(2));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    @Order(1)
    void survivesEveryTortureMessageAndStillBridgesACall() throws Exception {
        List<Path> messages;
        try (Stream<Path> files = Files.list(PeerEnvironment.rfc4475Dir())) {
            messages = files.filter(p -> p.toString().endsWith(".dat")).sorted().toList();
        }
        assertEquals(49, messages.size(), "RFC 4475 vectors in " + PeerEnvironment.rfc4475Dir());

        InetSocketAddress warmline = new InetSocketAddress(InetAddress.getByName(PeerEnvironment.LOOPBACK), node.sipPort);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(PeerEnvironment.LOOPBACK), 0))) {
            socket.setSoTimeout(150);
            for (Path message : messages) {
                byte[] bytes = Files.readAllBytes(message);
                socket.send(new DatagramPacket(bytes, bytes.length, warmline));
                for (String answer : receiveAll(socket)) {
                    answers.add(message.getFileName() + ": " + answer);
                }
            }
            Files.write(node.dir.resolve("rfc4475-answers.txt"), answers, StandardCharsets.UTF_8);
            assertTrue(node.process.isAlive(), "Warmline exited after the torture messages: " + node.process.output().tail(40));

            socket.setSoTimeout(2000);
            String options = options(socket.getLocalPort());
            socket.send(new DatagramPacket(options.getBytes(StandardCharsets.US_ASCII), options.length(), warmline));
            List<String> reply = receiveAll(socket);
            assertFalse(reply.isEmpty(), "no answer to OPTIONS after the torture messages");
            assertTrue(reply.get(0).startsWith("SIP/2.0 200 "), "OPTIONS answer " + reply);
        }
        assertEquals(200, node.process.httpGet("/healthz"));

        String conv = "after-torture";
        String dir = "call-after-torture";
        try (Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", conv).start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", conv)
                    .pause(Duration.ofMillis(500)).run();
            assertCallSucceeded(uac, uas.await());
        }
    }

    @Test
    @Order(2)
    void answersToTortureMessagesHaveAWellFormedStatusLine() {
        Assumptions.assumeFalse(answers.isEmpty(), "no answers came back to the sending socket");
        List<String> malformed = answers.stream()
                .filter(a -> !STATUS_LINE.matcher(a.substring(a.indexOf(": ") + 2)).lookingAt())
                .toList();
        assertTrue(malformed.isEmpty(), "answers whose status line is not 'SIP/2.0 NNN reason CRLF': " + malformed);
    }

    /** The first line of every datagram that arrives before the socket's timeout. */
    private static List<String> receiveAll(DatagramSocket socket) throws IOException {
        List<String> lines = new ArrayList<>();
        byte[] buffer = new byte[65536];
        while (true) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return lines;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.ISO_8859_1);
            int eol = text.indexOf("\r\n");
            lines.add(eol >= 0 ? text.substring(0, eol + 2) : text);
            socket.setSoTimeout(Math.min(socket.getSoTimeout(), 150));
        }
    }

    private String options(int localPort) {
        return "OPTIONS sip:" + PeerNode.ROUTED_NUMBER + "@127.0.0.1:" + node.sipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + localPort + ";branch=z9hG4bK-after-torture;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@127.0.0.1:" + localPort + ">;tag=after-torture\r\n"
                + "To: <sip:" + PeerNode.ROUTED_NUMBER + "@127.0.0.1>\r\n"
                + "Call-ID: after-torture@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
