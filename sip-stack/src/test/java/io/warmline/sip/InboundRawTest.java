package io.warmline.sip;

import static io.warmline.sip.TestSupport.awaitTrue;
import static io.warmline.sip.TestSupport.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.testing.Events;
import io.warmline.sip.testing.RawPeer;
import io.warmline.sip.testing.SipMsg;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A raw UDP carrier talks to the service: admission, error answers, the UAS side of dialogs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InboundRawTest {

    /** Generous: an await returns as soon as its message arrives, and CI machines can be busy. */
    private static final long WAIT = 10_000;

    private SipService sip;
    private TestSupport.Handler handler;
    private RawPeer peer;
    private int port;

    @BeforeAll
    void start() throws Exception {
        handler = new TestSupport.Handler("call");
        sip = new SipService(TestSupport.settings(), List.of(TestSupport.trunk("carrier", 5060, "127.0.0.1/32",
                List.of("1*"), Duration.ofSeconds(10), null, null, 0)), handler);
        sip.start();
        port = sip.localPort("udp");
    }

    @AfterAll
    void stop() {
        sip.close();
        handler.executor.shutdownNow();
    }

    @BeforeEach
    void quiet() throws Exception {
        handler.legs.clear();
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "previous legs released");
        // a fresh socket per test: retransmissions meant for an earlier test never reach this one
        peer = new RawPeer("127.0.0.1", port);
    }

    @AfterEach
    void closePeer() {
        peer.close();
    }

    private static String callId() {
        return UUID.randomUUID() + "@test";
    }

    private String ruri(String user) {
        return "sip:" + user + "@127.0.0.1:" + port;
    }

    @Test
    void optionsFromAnyoneGets200WithCapabilities() throws Exception {
        try (RawPeer stranger = new RawPeer("127.0.0.2", port)) {
            stranger.send(stranger.request("OPTIONS", ruri("ping"), callId(), 1, null, null));
            SipMsg r = stranger.awaitFinal("OPTIONS", WAIT);
            assertEquals(200, r.status());
            assertTrue(String.join(",", r.all("allow")).contains("INVITE"), r.toString());
            assertTrue(String.join(",", r.all("allow")).contains("BYE"));
            assertEquals("application/sdp", r.header("accept"));
            assertTrue(String.join(",", r.all("supported")).contains("timer"));
        }
    }

    @Test
    void aclAndNumberFailuresGetTheSame403() throws Exception {
        long before = sip.aclRejectedCount();
        SipMsg wrongNumber;
        SipMsg wrongSource;
        peer.send(peer.request("INVITE", ruri("9999"), callId(), 1, null, sdp("c", 1)));
        wrongNumber = peer.awaitFinal("INVITE", WAIT);
        try (RawPeer stranger = new RawPeer("127.0.0.2", port)) {
            stranger.send(stranger.request("INVITE", ruri("1000"), callId(), 1, null, sdp("c", 1)));
            wrongSource = stranger.awaitFinal("INVITE", WAIT);
        }
        assertEquals(403, wrongNumber.status());
        assertEquals(wrongNumber.startLine(), wrongSource.startLine());
        assertEquals(wrongNumber.headers().keySet(), wrongSource.headers().keySet(), "no hint which check failed");
        assertEquals(before + 2, sip.aclRejectedCount());
        assertTrue(handler.legs.isEmpty());
        assertEquals(0, sip.activeCalls());
    }

    @Test
    void trustedHeadersDoNotBypassTheAcl() throws Exception {
        try (RawPeer stranger = new RawPeer("127.0.0.2", port)) {
            stranger.send(stranger.request("INVITE", ruri("1000"), callId(), 1,
                    "X-Forwarded-For: 127.0.0.1\r\nP-Asserted-Identity: <sip:trusted@127.0.0.1>\r\n", sdp("c", 1)));
            assertEquals(403, stranger.awaitFinal("INVITE", WAIT).status());
        }
    }

    @Test
    void unknownDialogGets481() throws Exception {
        String bye = peer.request("BYE", ruri("1000"), callId(), 2, null, null)
                .replace("To: <" + ruri("1000") + ">", "To: <" + ruri("1000") + ">;tag=nosuchdialog");
        peer.send(bye);
        assertEquals(481, peer.awaitFinal("BYE", WAIT).status());
        peer.send(peer.request("BYE", ruri("1000"), callId(), 2, null, null));
        assertEquals(481, peer.awaitFinal("BYE", WAIT).status(), "out-of-dialog BYE");
    }

    @Test
    void methodAnswers() throws Exception {
        peer.send(peer.request("REGISTER", "sip:127.0.0.1:" + port, callId(), 1, null, null));
        SipMsg reg = peer.awaitFinal("REGISTER", WAIT);
        assertEquals(405, reg.status());
        assertNotNull(reg.header("allow"));
        peer.send(peer.request("FROBNICATE", ruri("1000"), callId(), 1, null, null));
        assertEquals(501, peer.awaitFinal("FROBNICATE", WAIT).status());
    }

    @Test
    void unknownRequireGets420() throws Exception {
        peer.send(peer.request("INVITE", ruri("1000"), callId(), 1, "Require: 100rel, timer\r\n", sdp("c", 1)));
        SipMsg r = peer.awaitFinal("INVITE", WAIT);
        assertEquals(420, r.status());
        assertEquals("100rel", r.header("unsupported"));
        assertTrue(handler.legs.isEmpty());
    }

    @Test
    void tooShortSessionGets422() throws Exception {
        peer.send(peer.request("INVITE", ruri("1000"), callId(), 1,
                "Supported: timer\r\nSession-Expires: 30\r\n", sdp("c", 1)));
        SipMsg r = peer.awaitFinal("INVITE", WAIT);
        assertEquals(422, r.status());
        assertEquals("90", r.header("min-se"));
    }

    @Test
    void nonSdpBodyGets415() throws Exception {
        String inv = peer.request("INVITE", ruri("1000"), callId(), 1, null, "hello")
                .replace("Content-Type: application/sdp", "Content-Type: text/plain");
        peer.send(inv);
        SipMsg r = peer.awaitFinal("INVITE", WAIT);
        assertEquals(415, r.status());
        assertEquals("application/sdp", r.header("accept"));
    }

    @Test
    void conversationIdFromHeadersOrGenerated() throws Exception {
        peer.send(peer.request("INVITE", ruri("1001"), callId(), 1, "X-Conversation-ID: from-x\r\n", sdp("c", 1)));
        InboundLeg a = handler.next(WAIT);
        assertEquals("from-x", a.conversationId().value());
        a.reject(480, null, null);

        ConversationId uui = new ConversationId("from-uui");
        peer.send(peer.request("INVITE", ruri("1002"), callId(), 1,
                "User-to-User: " + uui.toUserToUserHeader() + "\r\n", sdp("c", 1)));
        InboundLeg b = handler.next(WAIT);
        assertEquals(uui, b.conversationId());
        b.reject(480, null, null);

        peer.send(peer.request("INVITE", ruri("1003"), callId(), 1, "X-Conversation-ID: not valid!\r\n", sdp("c", 1)));
        InboundLeg c = handler.next(WAIT);
        assertTrue(ConversationId.isValid(c.conversationId().value()));
        assertTrue(!c.conversationId().value().contains("valid"));
        c.reject(480, null, null);
        for (int i = 0; i < 3; i++) {
            SipMsg r = peer.awaitFinal("INVITE", WAIT);
            assertEquals(480, r.status());
            peer.send(ackFor(r)); // ACK for a non-2xx final (RFC 3261 §17.1.1.3)
        }
    }

    @Test
    void answerWithSessionTimerThenBye() throws Exception {
        String cid = callId();
        String invite = peer.request("INVITE", ruri("1004"), cid, 1,
                "Supported: timer\r\nSession-Expires: 1800;refresher=uac\r\n", sdp("c", 1));
        peer.send(invite);
        SipMsg trying = peer.awaitResponse("INVITE", WAIT);
        assertEquals(100, trying.status());
        InboundLeg leg = handler.next(WAIT);
        assertEquals("carrier", handler.lastCall.trunk().name());
        Events ev = new Events();
        leg.setListener(ev);
        leg.ringing();
        SipMsg ringing = peer.await(m -> m.isResponse() && m.status() == 180, WAIT);
        assertNotNull(ringing.header("contact"));
        String toTag = ringing.header("to");
        leg.answer(sdp("w", 1));
        SipMsg ok = peer.await(m -> m.isResponse() && m.status() == 200, WAIT);
        assertEquals(toTag, ok.header("to"), "same To tag on 180 and 200");
        assertEquals("1800;refresher=uac", ok.header("session-expires"));
        assertTrue(String.join(",", ok.all("require")).contains("timer"));
        assertEquals(sdp("w", 1), ok.body());
        SipMsg inviteMsg = SipMsg.parse(invite.getBytes(), invite.length());
        peer.sendTo(port, peer.inDialog("ACK", inviteMsg, ok, 1, null, null));
        peer.sendTo(port, peer.inDialog("BYE", inviteMsg, ok, 2, null, null));
        assertEquals(200, peer.awaitFinal("BYE", WAIT).status());
        ev.await("bye", WAIT);
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
    }

    @Test
    void cancelBeforeAnswerGets487() throws Exception {
        String cid = callId();
        String invite = peer.request("INVITE", ruri("1005"), cid, 1, null, sdp("c", 1));
        peer.send(invite);
        InboundLeg leg = handler.next(WAIT);
        Events ev = new Events();
        leg.setListener(ev);
        leg.ringing();
        peer.await(m -> m.isResponse() && m.status() == 180, WAIT);
        String via = SipMsg.parse(invite.getBytes(), invite.length()).header("via");
        String cancel = invite.replaceFirst("^INVITE", "CANCEL").replace("CSeq: 1 INVITE", "CSeq: 1 CANCEL")
                .replaceAll("Content-Type: application/sdp\r\n", "");
        cancel = cancel.substring(0, cancel.indexOf("Content-Length:")) + "Content-Length: 0\r\n\r\n";
        assertTrue(cancel.contains(via), "CANCEL reuses the INVITE's Via branch");
        peer.send(cancel);
        assertEquals(200, peer.awaitFinal("CANCEL", WAIT).status());
        SipMsg r487 = peer.awaitFinal("INVITE", WAIT);
        assertEquals(487, r487.status());
        peer.send(ackFor(r487));
        ev.await("cancelled", WAIT);
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
    }

    @Test
    void missingAckEndsTheCallWithBye() throws Exception {
        String invite = peer.request("INVITE", ruri("1006"), callId(), 1, null, sdp("c", 1));
        peer.send(invite);
        InboundLeg leg = handler.next(WAIT);
        Events ev = new Events();
        leg.setListener(ev);
        leg.answer(sdp("w", 1));
        SipMsg ok = peer.await(m -> m.isResponse() && m.status() == 200, WAIT);
        // no ACK: 200 is retransmitted, then after 64*T1 we send BYE and report ACK_TIMEOUT
        SipMsg bye = peer.awaitRequest("BYE", 64 * TestSupport.T1.toMillis() + WAIT);
        assertEquals(ok.header("call-id"), bye.header("call-id"));
        peer.sendTo(port, bye.respond(200, "OK", null, null, null));
        assertEquals(EndReason.ACK_TIMEOUT, ev.await("ended", WAIT).detail());
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
    }

    @Test
    void reinviteFromCarrierAndGlare() throws Exception {
        String invite = peer.request("INVITE", ruri("1007"), callId(), 1, null, sdp("c", 1));
        SipMsg inviteMsg = SipMsg.parse(invite.getBytes(), invite.length());
        peer.send(invite);
        InboundLeg leg = handler.next(WAIT);
        Events ev = new Events();
        leg.setListener(ev);
        leg.answer(sdp("w", 1));
        SipMsg ok = peer.await(m -> m.isResponse() && m.status() == 200, WAIT);
        String ack = peer.inDialog("ACK", inviteMsg, ok, 1, null, null);
        peer.sendTo(port, ack);

        // hold: re-INVITE with a=sendonly reaches the listener, which answers recvonly. The carrier behaves as a UA
        // must: it ACKs every retransmission of the 200 (RFC 3261 §13.2.2.4) and sends the re-INVITE again with the
        // next CSeq after a 491 (§14.2). The stack takes up a dialog's requests in arrival order and holds a
        // re-INVITE that overtakes the ACK (AckThenReinviteRawTest, ReinviteBeforeAckRawTest), so neither is
        // expected here any more.
        String hold = sdp("c", 2).replace("t=0 0\r\n", "t=0 0\r\na=sendonly\r\n");
        int cseq = 2;
        peer.sendTo(port, peer.inDialog("INVITE", inviteMsg, ok, cseq, null, hold));
        Events.Event re;
        long deadline = System.nanoTime() + WAIT * 1_000_000L;
        long resendAt = Long.MAX_VALUE;
        while ((re = ev.poll("reinvite")) == null) {
            long now = System.nanoTime();
            assertTrue(now < deadline, "the hold re-INVITE did not reach the listener: " + ev.drain());
            if (now >= resendAt) {
                // a UA waits before it tries again after a 491 (RFC 3261 §14.1); a short wait is enough here
                cseq++;
                resendAt = Long.MAX_VALUE;
                peer.sendTo(port, peer.inDialog("INVITE", inviteMsg, ok, cseq, null, hold));
            }
            String pending = cseq + " INVITE";
            SipMsg m = peer.poll(r -> r.isResponse() && (r.status() == 200 && r.header("cseq").equals("1 INVITE")
                    || r.status() == 491 && r.header("cseq").equals(pending)), 20);
            if (m != null && m.status() == 200) {
                peer.sendTo(port, ack);
            } else if (m != null) {
                peer.sendTo(port, ackFor(m));
                resendAt = System.nanoTime() + 200_000_000L;
            }
        }
        assertEquals(hold, re.sdp());
        assertEquals("call", re.thread());
        int holdCseq = cseq;

        // while it is unanswered, a second re-INVITE is refused. RFC 3261 §14.2 asks for 500 + Retry-After; the
        // RI's dialog layer answers this case itself with 491 before our listener sees it. Either keeps state sane.
        String second = (holdCseq + 1) + " INVITE";
        peer.sendTo(port, peer.inDialog("INVITE", inviteMsg, ok, holdCseq + 1, null, sdp("c", 3)));
        SipMsg busy = peer.await(m -> m.isResponse() && m.header("cseq").equals(second) && m.status() >= 200, WAIT);
        assertTrue(busy.status() == 491 || busy.status() == 500 && busy.header("retry-after") != null, busy.toString());
        peer.sendTo(port, ackFor(busy));

        ev.lastResponder.accept(sdp("w", 2).replace("t=0 0\r\n", "t=0 0\r\na=recvonly\r\n"));
        String held = holdCseq + " INVITE";
        SipMsg reOk = peer.await(m -> m.isResponse() && m.header("cseq").equals(held) && m.status() == 200, WAIT);
        assertTrue(reOk.body().contains("a=recvonly"));
        peer.sendTo(port, peer.inDialog("ACK", inviteMsg, ok, holdCseq, null, null));

        // offerless re-INVITE: answered by the stack with the current local SDP as the offer
        int offerlessCseq = holdCseq + 2;
        String offerlessSent = offerlessCseq + " INVITE";
        peer.sendTo(port, peer.inDialog("INVITE", inviteMsg, ok, offerlessCseq, null, null));
        SipMsg offerless = peer.await(m -> m.isResponse() && m.header("cseq").equals(offerlessSent) && m.status() == 200,
                WAIT);
        assertTrue(offerless.body().contains("a=recvonly"));
        peer.sendTo(port, peer.inDialog("ACK", inviteMsg, ok, offerlessCseq, null, sdp("c", 2)));

        // our own re-INVITE; the carrier answers 491 to simulate glare on its side
        Events cb = new Events();
        leg.reinvite(sdp("w", 3), new ReinviteCallback() {
            @Override
            public void onAnswer(String sdp) {
                cb.onAnswered(sdp);
            }

            @Override
            public void onFailure(int status, String reason) {
                cb.onFailed(FailureReason.TRUNK_ERROR, status, reason);
            }
        });
        SipMsg ourRe = peer.awaitRequest("INVITE", WAIT);
        assertEquals(sdp("w", 3), ourRe.body());
        peer.sendTo(port, ourRe.respond(491, "Request Pending", "x1", null, null));
        assertEquals(491, cb.await("failed", WAIT).status());

        leg.hangup();
        SipMsg bye = peer.awaitRequest("BYE", WAIT);
        peer.sendTo(port, bye.respond(200, "OK", null, null, null));
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
        assertNull(ev.drain().stream().filter(e -> e.kind().equals("bye")).findAny().orElse(null));
    }

    @Test
    void drainRefusesNewInvitesWith503() throws Exception {
        TestSupport.Handler h = new TestSupport.Handler("drain");
        try (SipService s = new SipService(TestSupport.settings(), List.of(TestSupport.trunk("carrier", 5060,
                "127.0.0.1/32", List.of("*"), Duration.ofSeconds(10), null, null, 0)), h)) {
            s.start();
            try (RawPeer q = new RawPeer("127.0.0.1", s.localPort("udp"))) {
                s.stopAccepting();
                q.send(q.request("INVITE", "sip:1@127.0.0.1:" + s.localPort("udp"), callId(), 1, null, sdp("c", 1)));
                SipMsg r = q.awaitFinal("INVITE", WAIT);
                assertEquals(503, r.status());
                assertNotNull(r.header("retry-after"));
                q.send(q.request("OPTIONS", "sip:1@127.0.0.1:" + s.localPort("udp"), callId(), 1, null, null));
                assertEquals(200, q.awaitFinal("OPTIONS", WAIT).status(), "keepalives still answered while draining");
            }
            assertTrue(h.legs.isEmpty());
        } finally {
            h.executor.shutdownNow();
        }
    }

    @Test
    void maxCallsGives503() throws Exception {
        TestSupport.Handler h = new TestSupport.Handler("max");
        try (SipService s = new SipService(TestSupport.settings(Duration.ofSeconds(1800), Duration.ofSeconds(90), 1),
                List.of(TestSupport.trunk("carrier", 5060, "127.0.0.1/32", List.of("*"), Duration.ofSeconds(10),
                        null, null, 0)), h)) {
            s.start();
            try (RawPeer q = new RawPeer("127.0.0.1", s.localPort("udp"))) {
                String uri = "sip:1@127.0.0.1:" + s.localPort("udp");
                q.send(q.request("INVITE", uri, callId(), 1, null, sdp("c", 1)));
                InboundLeg first = h.next(WAIT);
                q.send(q.request("INVITE", uri, callId(), 1, null, sdp("c", 1)));
                assertEquals(503, q.awaitFinal("INVITE", WAIT).status());
                first.reject(486, null, null);
            }
        } finally {
            h.executor.shutdownNow();
        }
    }

    /** ACK for a non-2xx final response: same branch as the INVITE (RFC 3261 §17.1.1.3). */
    private static String ackFor(SipMsg r) {
        return "ACK " + "sip:x@127.0.0.1" + " SIP/2.0\r\n"
                + "Via: " + r.header("via") + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: " + r.header("from") + "\r\n"
                + "To: " + r.header("to") + "\r\n"
                + "Call-ID: " + r.header("call-id") + "\r\n"
                + "CSeq: " + r.header("cseq").split(" ")[0] + " ACK\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
