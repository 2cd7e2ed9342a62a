package io.warmline.sip;

import static io.warmline.sip.TestSupport.awaitTrue;
import static io.warmline.sip.TestSupport.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.testing.Events;
import io.warmline.sip.testing.RawPeer;
import io.warmline.sip.testing.SipMsg;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * RFC 4028 through the JAIN-SIP adapter, with a 2 s session interval (below the RFC's 90 s floor, only so the
 * test is quick; the timer logic itself is tested with fake time in SessionTimerTest).
 */
class SessionTimerRawTest {

    private static final long WAIT = 4000;

    private static SipService service(TestSupport.Handler h) throws Exception {
        SipService s = new SipService(TestSupport.settings(Duration.ofSeconds(1800), Duration.ofSeconds(1), 10),
                List.of(TestSupport.permissive(5060)), h);
        s.start();
        return s;
    }

    private static SipMsg establish(RawPeer peer, int port, TestSupport.Handler h, String refresher, Events ev)
            throws Exception {
        String invite = peer.request("INVITE", "sip:1@127.0.0.1:" + port, UUID.randomUUID() + "@st", 1,
                "Supported: timer\r\nSession-Expires: 2;refresher=" + refresher + "\r\n", sdp("c", 1));
        peer.send(invite);
        InboundLeg leg = h.next(WAIT);
        leg.setListener(ev);
        leg.answer(sdp("w", 1));
        SipMsg ok = peer.await(m -> m.isResponse() && m.status() == 200, WAIT);
        assertEquals("2;refresher=" + refresher, ok.header("session-expires"));
        SipMsg inv = SipMsg.parse(invite.getBytes(), invite.length());
        peer.sendTo(port, peer.inDialog("ACK", inv, ok, 1, null, null));
        return ok;
    }

    @Test
    void weRefreshWithTheSameSdpAtHalfTheInterval() throws Exception {
        TestSupport.Handler h = new TestSupport.Handler("st1");
        try (SipService s = service(h); RawPeer p = new RawPeer("127.0.0.1", s.localPort("udp"))) {
            Events ev = new Events();
            establish(p, s.localPort("udp"), h, "uas", ev);
            long start = System.nanoTime();
            SipMsg refresh = p.awaitRequest("INVITE", WAIT);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= 700, "refresh at about half of 2 s, got " + elapsedMs + " ms");
            assertEquals(sdp("w", 1), refresh.body(), "same SDP, same o= version (RFC 4028 §10)");
            assertEquals("2;refresher=uac", refresh.header("session-expires"), "we are the UAC of the refresh");
            p.sendTo(s.localPort("udp"), refresh.respond(200, "OK", null,
                    "Contact: <sip:carrier@127.0.0.1:" + p.port() + ">\r\nSession-Expires: 2;refresher=uac\r\n"
                            + "Require: timer\r\n", sdp("c", 1)));
            p.awaitRequest("ACK", WAIT);
            assertTrue(ev.drain().isEmpty(), "refreshes are not reported to the application");
        } finally {
            h.executor.shutdownNow();
        }
    }

    @Test
    void peerThatNeverRefreshesIsHungUp() throws Exception {
        TestSupport.Handler h = new TestSupport.Handler("st2");
        try (SipService s = service(h); RawPeer q = new RawPeer("127.0.0.1", s.localPort("udp"))) {
            Events ev = new Events();
            establish(q, s.localPort("udp"), h, "uac", ev);
            // BYE at 2 s - min(32 s, 2/3 s)
            SipMsg bye = q.awaitRequest("BYE", WAIT);
            q.sendTo(s.localPort("udp"), bye.respond(200, "OK", null, null, null));
            assertEquals(EndReason.SESSION_EXPIRED, ev.await("ended", WAIT).detail());
            awaitTrue(() -> s.activeCalls() == 0, WAIT, "leg released");
        } finally {
            h.executor.shutdownNow();
        }
    }
}
