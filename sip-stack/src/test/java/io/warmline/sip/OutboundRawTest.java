package io.warmline.sip;

import static io.warmline.sip.TestSupport.awaitTrue;
import static io.warmline.sip.TestSupport.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.internal.DigestCalculator;
import io.warmline.sip.testing.Events;
import io.warmline.sip.testing.RawPeer;
import io.warmline.sip.testing.SipMsg;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The service dials a raw UDP peer that plays the carrier / support line. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundRawTest {

    /** Generous: an await returns as soon as its message arrives, and CI machines can be busy. */
    private static final long WAIT = 10_000;

    private SipService sip;
    private TestSupport.Handler handler;
    private ExecutorService call;
    private RawPeer far;
    private int port;

    @BeforeAll
    void start() throws Exception {
        handler = new TestSupport.Handler("unused");
        sip = new SipService(TestSupport.settings(Duration.ofSeconds(1800), Duration.ofSeconds(90), 100), List.of(), handler);
        sip.start();
        port = sip.localPort("udp");
        call = TestSupport.executor("call");
    }

    @AfterAll
    void stop() {
        sip.close();
        call.shutdownNow();
        handler.executor.shutdownNow();
    }

    @BeforeEach
    void peer() throws Exception {
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "previous legs released");
        far = new RawPeer("127.0.0.1", port);
    }

    @AfterEach
    void closePeer() {
        far.close();
    }

    private Trunk trunk(DigestCredentials creds, String proxyHost, int proxyPort, Duration ring) {
        return TestSupport.trunk("far", far.port(), "127.0.0.1/32", List.of("*"), ring, creds, proxyHost, proxyPort);
    }

    private Trunk trunk(DigestCredentials creds) {
        return trunk(creds, null, 0, Duration.ofSeconds(10));
    }

    @Test
    void inviteCarriesConversationAndTrunkHeadersThroughTheProxy() throws Exception {
        Events ev = new Events();
        ConversationId conv = new ConversationId("conv-7");
        Trunk viaProxy = trunk(null, "127.0.0.1", far.port(), Duration.ofSeconds(10));
        OutboundLeg leg = sip.dial(viaProxy, "+4930555", conv, sdp("w", 1), call, ev);
        SipMsg inv = far.awaitRequest("INVITE", WAIT);
        assertEquals("sip:+4930555@carrier.invalid:" + far.port() + ";transport=udp", inv.requestUri());
        assertTrue(inv.header("route").contains("127.0.0.1:" + far.port()) && inv.header("route").contains(";lr"),
                inv.header("route"));
        assertEquals("conv-7", inv.header("x-conversation-id"));
        assertEquals(conv.toUui() + ";encoding=hex;purpose=call-context", inv.header("user-to-user"));
        assertEquals("far", inv.header("x-trunk"));
        assertTrue(inv.header("from").contains("sip:4930100@127.0.0.1"), inv.header("from"));
        assertTrue(inv.header("contact").contains("127.0.0.1:" + port), inv.header("contact"));
        assertTrue(String.join(",", inv.all("supported")).contains("timer"));
        assertEquals("1800", inv.header("session-expires"));
        assertEquals("90", inv.header("min-se"));
        assertTrue(String.join(",", inv.all("allow")).contains("BYE"));
        assertEquals(sdp("w", 1), inv.body());
        assertEquals(leg.callId(), inv.header("call-id"));

        far.sendTo(port, inv.respond(180, "Ringing", "t1", "Contact: <sip:far@127.0.0.1:" + far.port() + ">\r\n", null));
        assertEquals(180, ev.await("provisional", WAIT).status());
        far.sendTo(port, inv.respond(183, "Session Progress", "t1",
                "Contact: <sip:far@127.0.0.1:" + far.port() + ">\r\n", sdp("f", 1)));
        Events.Event early = ev.await("provisional", WAIT);
        assertEquals(183, early.status());
        assertEquals(sdp("f", 1), early.sdp());
        assertEquals("call", early.thread());
        far.sendTo(port, inv.respond(200, "OK", "t1", "Contact: <sip:far@127.0.0.1:" + far.port() + ">\r\n"
                + "Session-Expires: 1800;refresher=uac\r\nRequire: timer\r\n", sdp("f", 1)));
        assertEquals(sdp("f", 1), ev.await("answered", WAIT).sdp());
        SipMsg ack = far.awaitRequest("ACK", WAIT);
        assertEquals("sip:far@127.0.0.1:" + far.port(), ack.requestUri(), "ACK goes to the remote target");
        leg.hangup();
        SipMsg bye = far.awaitRequest("BYE", WAIT);
        far.sendTo(port, bye.respond(200, "OK", null, null, null));
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
    }

    @Test
    void aHashInTheNumberIsEscapedInTheRequestUriAndTo() throws Exception {
        Events ev = new Events();
        sip.dial(trunk(null), "20#1", new ConversationId("conv-hash"), sdp("w", 1), call, ev);
        SipMsg inv = far.awaitRequest("INVITE", WAIT);
        assertEquals("sip:20%231@127.0.0.1:" + far.port() + ";transport=udp", inv.requestUri());
        assertTrue(inv.header("to").contains("sip:20%231@"), inv.header("to"));
        far.sendTo(port, inv.respond(486, "Busy Here", "t1", null, null));
        assertEquals(FailureReason.BUSY, ev.await("failed", WAIT).detail());
        assertThrows(IllegalArgumentException.class,
                () -> sip.dial(trunk(null), "20 1", new ConversationId("conv-space"), sdp("w", 1), call, ev));
        far.awaitRequest("ACK", WAIT);
    }

    private static Map<String, String> digestParams(String header) {
        Map<String, String> p = new HashMap<>();
        Matcher m = Pattern.compile("(\\w+)=(\"([^\"]*)\"|[^,\\s]+)").matcher(header.substring(header.indexOf(' ') + 1));
        while (m.find()) {
            p.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return p;
    }

    @Test
    void digestChallengeAnsweredWithSha256() throws Exception {
        Events ev = new Events();
        sip.dial(trunk(new DigestCredentials("alice", "s3cret", "carrier")), "100", ConversationId.generate(),
                sdp("w", 1), call, ev);
        SipMsg first = far.awaitRequest("INVITE", WAIT);
        assertNull(first.header("authorization"));
        far.sendTo(port, first.respond(401, "Unauthorized", "c1",
                "WWW-Authenticate: Digest realm=\"carrier\", nonce=\"abc\", qop=\"auth\", algorithm=MD5\r\n"
                        + "WWW-Authenticate: Digest realm=\"carrier\", nonce=\"def\", qop=\"auth\", algorithm=SHA-256, opaque=\"op\"\r\n",
                null));
        SipMsg ackOf401 = far.awaitRequest("ACK", WAIT);
        assertEquals(first.header("cseq").split(" ")[0] + " ACK", ackOf401.header("cseq"));
        SipMsg second = far.awaitNewRequest(first, WAIT);
        assertEquals(first.header("call-id"), second.header("call-id"));
        assertEquals("2 INVITE", second.header("cseq"));
        assertFalse(first.header("via").equals(second.header("via")), "new branch");
        Map<String, String> p = digestParams(second.header("authorization"));
        assertEquals("SHA-256", p.get("algorithm"));
        assertEquals("def", p.get("nonce"));
        assertEquals("op", p.get("opaque"));
        assertEquals("auth", p.get("qop"));
        assertEquals(second.requestUri(), p.get("uri"));
        String expected = DigestCalculator.response(DigestCalculator.Algorithm.SHA_256, "alice", "carrier", "s3cret",
                "INVITE", p.get("uri"), "def", "auth", p.get("nc"), p.get("cnonce"));
        assertEquals(expected, p.get("response"), "the UAS verifies the digest");
        far.sendTo(port, second.respond(200, "OK", "c2", "Contact: <sip:far@127.0.0.1:" + far.port() + ">\r\n",
                sdp("f", 1)));
        ev.await("answered", WAIT);
        far.awaitRequest("ACK", WAIT);
        String okText = second.respond(200, "OK", "c2", "Contact: <sip:far@127.0.0.1:" + far.port() + ">\r\n", null);
        far.sendTo(port, calleeRequest("BYE", second, SipMsg.parse(okText.getBytes(), okText.length()), 1, null));
        ev.await("bye", WAIT);
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
    }

    @Test
    void repeatedChallengeForSameNonceIsATrunkError() throws Exception {
        Events ev = new Events();
        sip.dial(trunk(new DigestCredentials("alice", "wrong", null)), "100", ConversationId.generate(),
                sdp("w", 1), call, ev);
        String challenge = "Proxy-Authenticate: Digest realm=\"carrier\", nonce=\"n1\"\r\n";
        SipMsg first = far.awaitRequest("INVITE", WAIT);
        far.sendTo(port, first.respond(407, "Proxy Authentication Required", "c1", challenge, null));
        SipMsg second = far.awaitNewRequest(first, WAIT);
        Map<String, String> p = digestParams(second.header("proxy-authorization"));
        assertEquals("MD5", p.get("algorithm"));
        assertNull(p.get("qop"), "no qop offered: RFC 2069 form");
        far.sendTo(port, second.respond(407, "Proxy Authentication Required", "c2", challenge, null));
        Events.Event failed = ev.await("failed", WAIT);
        assertEquals(FailureReason.TRUNK_ERROR, failed.detail());
        assertEquals(407, failed.status());
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
    }

    @Test
    void sessionIntervalTooSmallIsRetriedWithPeersMinSe() throws Exception {
        Events ev = new Events();
        sip.dial(trunk(null), "100", ConversationId.generate(), sdp("w", 1), call, ev);
        SipMsg first = far.awaitRequest("INVITE", WAIT);
        far.sendTo(port, first.respond(422, "Session Interval Too Small", "c1", "Min-SE: 3600\r\n", null));
        SipMsg second = far.awaitNewRequest(first, WAIT);
        assertEquals("3600", second.header("session-expires"));
        assertEquals("3600", second.header("min-se"));
        far.sendTo(port, second.respond(486, "Busy Here", "c2", null, null));
        Events.Event failed = ev.await("failed", WAIT);
        assertEquals(FailureReason.BUSY, failed.detail());
    }

    @Test
    void okAfterCancelIsAckedAndByed() throws Exception {
        Events ev = new Events();
        OutboundLeg leg = sip.dial(trunk(null), "100", ConversationId.generate(), sdp("w", 1), call, ev);
        SipMsg inv = far.awaitRequest("INVITE", WAIT);
        String contact = "Contact: <sip:far@127.0.0.1:" + far.port() + ">\r\n";
        far.sendTo(port, inv.respond(180, "Ringing", "t1", contact, null));
        ev.await("provisional", WAIT);
        leg.hangup();
        SipMsg cancel = far.awaitRequest("CANCEL", WAIT);
        assertEquals(inv.header("via"), cancel.header("via"), "CANCEL matches the INVITE's branch");
        // the race: the far end answered before it saw the CANCEL
        far.sendTo(port, cancel.respond(200, "OK", "t1", null, null));
        far.sendTo(port, inv.respond(200, "OK", "t1", contact, sdp("f", 1)));
        far.awaitRequest("ACK", WAIT);
        SipMsg bye = far.awaitRequest("BYE", WAIT);
        far.sendTo(port, bye.respond(200, "OK", null, null, null));
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
        assertTrue(ev.drain().stream().noneMatch(e -> e.kind().equals("answered")), "no callback after hangup()");
    }

    @Test
    void hangupBeforeAnyProvisionalWaitsToCancel() throws Exception {
        Events ev = new Events();
        OutboundLeg leg = sip.dial(trunk(null), "100", ConversationId.generate(), sdp("w", 1), call, ev);
        SipMsg inv = far.awaitRequest("INVITE", WAIT);
        leg.hangup();
        // RFC 3261 §9.1: no CANCEL before a provisional response; it goes out once 100 arrives
        far.sendTo(port, inv.respond(100, "Trying", null, null, null));
        SipMsg cancel = far.awaitRequest("CANCEL", WAIT);
        far.sendTo(port, cancel.respond(200, "OK", "t1", null, null));
        far.sendTo(port, inv.respond(487, "Request Terminated", "t1", null, null));
        far.awaitRequest("ACK", WAIT);
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
        assertTrue(ev.drain().isEmpty());
    }

    @Test
    void noResponseAtAllIsATrunkError() throws Exception {
        Events ev = new Events();
        // a ring timeout far beyond Timer B, so that only the transaction can end the attempt on a busy machine
        sip.dial(trunk(null, null, 0, Duration.ofSeconds(60)), "100", ConversationId.generate(), sdp("w", 1), call,
                ev);
        far.awaitRequest("INVITE", WAIT);
        // Timer B = 64*T1
        Events.Event failed = ev.await("failed", 64 * TestSupport.T1.toMillis() + WAIT);
        assertEquals(FailureReason.TRUNK_ERROR, failed.detail());
        assertEquals(408, failed.status());
    }

    @Test
    void farEndByeAndReinvite() throws Exception {
        Events ev = new Events();
        sip.dial(trunk(null), "100", ConversationId.generate(), sdp("w", 1), call, ev);
        SipMsg inv = far.awaitRequest("INVITE", WAIT);
        String contact = "Contact: <sip:far@127.0.0.1:" + far.port() + ">\r\n";
        String okText = inv.respond(200, "OK", "t1", contact, sdp("f", 1));
        far.sendTo(port, okText);
        ev.await("answered", WAIT);
        far.awaitRequest("ACK", WAIT);
        SipMsg ok = SipMsg.parse(okText.getBytes(), okText.length());
        // the far end puts us on hold: requests from callee to caller swap From/To
        ev.onReinvite = (offer, responder) -> responder.accept(sdp("w", 2));
        String reinvite = calleeRequest("INVITE", inv, ok, 1, sdp("f", 2));
        far.sendTo(port, reinvite);
        assertEquals(sdp("f", 2), ev.await("reinvite", WAIT).sdp());
        SipMsg reOk = far.await(m -> m.isResponse() && m.status() == 200 && m.header("cseq").equals("1 INVITE"), WAIT);
        assertEquals(sdp("w", 2), reOk.body());
        far.sendTo(port, calleeRequest("ACK", inv, ok, 1, null));
        far.sendTo(port, calleeRequest("BYE", inv, ok, 2, null));
        assertEquals(200, far.awaitFinal("BYE", WAIT).status());
        ev.await("bye", WAIT);
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
    }

    /** A request from the callee in the dialog created by {@code inv}/{@code ok}. */
    private String calleeRequest(String method, SipMsg inv, SipMsg ok, int cseq, String sdp) {
        String contact = inv.header("contact");
        String target = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
        StringBuilder b = new StringBuilder(method + " " + target + " SIP/2.0\r\n")
                .append("Via: SIP/2.0/UDP 127.0.0.1:").append(far.port()).append(";branch=").append(RawPeer.branch())
                .append("\r\n")
                .append("Max-Forwards: 70\r\n")
                .append("From: ").append(ok.header("to")).append("\r\n")
                .append("To: ").append(inv.header("from")).append("\r\n")
                .append("Call-ID: ").append(inv.header("call-id")).append("\r\n")
                .append("CSeq: ").append(cseq).append(' ').append(method).append("\r\n")
                .append("Contact: <sip:far@127.0.0.1:").append(far.port()).append(">\r\n");
        if (sdp != null) {
            b.append("Content-Type: application/sdp\r\nContent-Length: ").append(sdp.length()).append("\r\n\r\n")
                    .append(sdp);
        } else {
            b.append("Content-Length: 0\r\n\r\n");
        }
        return b.toString();
    }
}
