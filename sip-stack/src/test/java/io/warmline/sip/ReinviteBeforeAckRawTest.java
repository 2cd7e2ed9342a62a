package io.warmline.sip;

import static io.warmline.sip.TestSupport.awaitTrue;
import static io.warmline.sip.TestSupport.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.testing.Events;
import io.warmline.sip.testing.RawPeer;
import io.warmline.sip.testing.SipMsg;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The carrier's re-INVITE reaches us before its ACK for our 200: reordered on the way, or the first ACK lost and
 * the next one sent for a retransmitted 200 (RFC 3261 §13.2.2.4). The ACK must still be taken up. Answering the
 * re-INVITE at once (491) made it the dialog's last INVITE response, against which the RI matches every ACK for a
 * 2xx; it then dropped the ACK and all its retransmissions, and the leg ended on its ACK timeout with a BYE.
 */
class ReinviteBeforeAckRawTest {

    private static final long WAIT = 10_000;

    @Test
    void anAckOvertakenByAReinviteIsStillTakenUp() throws Exception {
        Events ev = new Events();
        ev.onReinvite = (offer, responder) -> responder.accept(sdp("w", 2));
        answeredCall("early", ev, (sip, peer, port, inviteMsg, ok) -> {
            peer.sendTo(port, peer.inDialog("INVITE", inviteMsg, ok, 2, null, sdp("c", 2)));
            SipMsg first = peer.await(m -> m.isResponse() && "2 INVITE".equals(m.header("cseq")), WAIT);
            peer.sendTo(port, peer.inDialog("ACK", inviteMsg, ok, 1, null, null));
            SipMsg answer = first.status() >= 200 ? first
                    : peer.await(m -> m.isResponse() && m.status() >= 200 && "2 INVITE".equals(m.header("cseq")),
                            WAIT);
            peer.sendTo(port, answer.status() == 200 ? peer.inDialog("ACK", inviteMsg, ok, 2, null, null)
                    : ackFor(answer));

            long ackTimeout = 64 * TestSupport.T1.toMillis();
            SipMsg bye = peer.poll(m -> !m.isResponse() && m.method().equals("BYE"), ackTimeout + 1000);
            assertNull(bye, "the leg ended on its ACK timeout: the ACK was not taken up");
            assertEquals(1, sip.activeCalls());
            assertEquals(200, answer.status(), "the re-INVITE is answered once the ACK is in: " + answer);
            assertEquals(sdp("c", 2), ev.await("reinvite", WAIT).sdp());

            peer.sendTo(port, peer.inDialog("BYE", inviteMsg, ok, 3, null, null));
            assertEquals(200, peer.await(m -> m.isResponse() && "3 BYE".equals(m.header("cseq")), WAIT).status());
            awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
            assertTrue(ev.drain().stream().noneMatch(e -> e.kind().equals("ended")), ev.drain().toString());
        });
    }

    @Test
    void aSecondReinviteWhileOneIsHeldIsRefusedAndTheAckStillTakenUp() throws Exception {
        Events ev = new Events();
        ev.onReinvite = (offer, responder) -> responder.accept(sdp("w", 2));
        answeredCall("second", ev, (sip, peer, port, inviteMsg, ok) -> {
            peer.sendTo(port, peer.inDialog("INVITE", inviteMsg, ok, 2, null, sdp("c", 2)));
            assertEquals(100, peer.await(m -> m.isResponse() && "2 INVITE".equals(m.header("cseq")), WAIT).status());
            peer.sendTo(port, peer.inDialog("INVITE", inviteMsg, ok, 3, null, sdp("c", 3)));
            SipMsg second = peer.await(m -> m.isResponse() && m.status() >= 200 && "3 INVITE".equals(m.header("cseq")),
                    WAIT);
            assertEquals(491, second.status(), "RFC 3261 §14.2: one re-INVITE at a time");
            peer.sendTo(port, ackFor(second));

            peer.sendTo(port, peer.inDialog("ACK", inviteMsg, ok, 1, null, null));
            SipMsg held = peer.await(m -> m.isResponse() && m.status() >= 200 && "2 INVITE".equals(m.header("cseq")),
                    WAIT);
            assertEquals(200, held.status(), held.toString());
            peer.sendTo(port, peer.inDialog("ACK", inviteMsg, ok, 2, null, null));
            assertNull(peer.poll(m -> !m.isResponse() && m.method().equals("BYE"),
                    64 * TestSupport.T1.toMillis() + 1000), "the ACK was not taken up");
            assertEquals(sdp("c", 2), ev.await("reinvite", WAIT).sdp());
            peer.sendTo(port, peer.inDialog("BYE", inviteMsg, ok, 4, null, null));
            assertEquals(200, peer.await(m -> m.isResponse() && "4 BYE".equals(m.header("cseq")), WAIT).status());
            awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
        });
    }

    @Test
    void aHeldReinviteIsAnsweredWhenTheAckNeverComes() throws Exception {
        Events ev = new Events();
        answeredCall("noack", ev, (sip, peer, port, inviteMsg, ok) -> {
            peer.sendTo(port, peer.inDialog("INVITE", inviteMsg, ok, 2, null, sdp("c", 2)));
            assertEquals(100, peer.await(m -> m.isResponse() && "2 INVITE".equals(m.header("cseq")), WAIT).status(),
                    "held with 100 Trying");

            // no ACK at all: after 64*T1 the leg sends BYE, and the held re-INVITE gets its final answer
            SipMsg bye = peer.awaitRequest("BYE", 64 * TestSupport.T1.toMillis() + WAIT);
            peer.sendTo(port, bye.respond(200, "OK", null, null, null));
            SipMsg held = peer.await(m -> m.isResponse() && m.status() >= 200 && "2 INVITE".equals(m.header("cseq")),
                    WAIT);
            assertEquals(487, held.status(), "RFC 3261 §15.1.2");
            peer.sendTo(port, ackFor(held));
            assertEquals(EndReason.ACK_TIMEOUT, ev.await("ended", WAIT).detail());
            assertTrue(ev.drain().stream().noneMatch(e -> e.kind().equals("reinvite")));
            awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
        });
    }

    /** What a scenario gets: the service, the carrier's raw peer, and the dialog our 200 made (not yet ACKed). */
    @FunctionalInterface
    private interface AnsweredCall {
        void run(SipService sip, RawPeer peer, int port, SipMsg invite, SipMsg ok) throws Exception;
    }

    /**
     * A carrier's INVITE with Call-ID {@code <random>@suffix} answered by the leg (listener {@code ev}); runs
     * {@code scenario} once our 200 has arrived, before any ACK.
     */
    private static void answeredCall(String suffix, Events ev, AnsweredCall scenario) throws Exception {
        TestSupport.Handler handler = new TestSupport.Handler("call");
        try (SipService sip = new SipService(TestSupport.settings(), List.of(TestSupport.trunk("carrier", 5060,
                "127.0.0.1/32", List.of("*"), Duration.ofSeconds(10), null, null, 0)), handler)) {
            sip.start();
            int port = sip.localPort("udp");
            try (RawPeer peer = new RawPeer("127.0.0.1", port)) {
                String invite = peer.request("INVITE", "sip:1000@127.0.0.1:" + port, UUID.randomUUID() + "@" + suffix,
                        1, null, sdp("c", 1));
                byte[] b = invite.getBytes(StandardCharsets.UTF_8);
                SipMsg inviteMsg = SipMsg.parse(b, b.length);
                peer.send(invite);
                InboundLeg leg = handler.next(WAIT);
                leg.setListener(ev);
                leg.answer(sdp("w", 1));
                SipMsg ok = peer.await(m -> m.isResponse() && m.status() == 200 && "1 INVITE".equals(m.header("cseq")),
                        WAIT);
                scenario.run(sip, peer, port, inviteMsg, ok);
            }
        } finally {
            handler.executor.shutdownNow();
        }
    }

    /** The ACK of a non-2xx final response: part of its INVITE transaction (RFC 3261 §17.1.1.3). */
    private static String ackFor(SipMsg r) {
        return "ACK sip:x@127.0.0.1 SIP/2.0\r\n"
                + "Via: " + r.header("via") + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: " + r.header("from") + "\r\n"
                + "To: " + r.header("to") + "\r\n"
                + "Call-ID: " + r.header("call-id") + "\r\n"
                + "CSeq: " + r.header("cseq").split(" ")[0] + " ACK\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
