package io.warmline.sip;

import static io.warmline.sip.TestSupport.awaitTrue;
import static io.warmline.sip.TestSupport.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.testing.Events;
import io.warmline.sip.testing.RawPeer;
import io.warmline.sip.testing.SipMsg;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A carrier ACKs each 200 and sends its re-INVITE right after, back to back, for many dialogs at once. The stack
 * must take up a dialog's requests in arrival order: a re-INVITE taken up before its ACK finds the dialog
 * unconfirmed and gets 491, and the carrier tries again only after 2.1-4 s (RFC 3261 §14.1). With one queue for
 * all UDP workers that happened to some of these dialogs on every run; with one queue per worker chosen by
 * Call-ID it cannot.
 */
class AckThenReinviteRawTest {

    private static final long WAIT = 10_000;
    /** Dialogs whose ACK and re-INVITE are sent in one burst: enough for the old race to show on every run. */
    private static final int DIALOGS = 40;
    /** T1 of 500 ms: the ACK timeout (64*T1) outlasts collecting every 200 on a busy machine before the burst. */
    private static final SipSettings SETTINGS = new SipSettings(List.of(new SipListenPoint("udp", "127.0.0.1", 0)),
            null, 65535, Duration.ofSeconds(1800), Duration.ofSeconds(90), 100, Duration.ofMillis(500));

    @Test
    void reinviteSentRightAfterTheAckIsNeverRefused() throws Exception {
        TestSupport.Handler handler = new TestSupport.Handler("call");
        try (SipService sip = new SipService(SETTINGS, List.of(TestSupport.trunk("carrier", 5060,
                "127.0.0.1/32", List.of("*"), Duration.ofSeconds(10), null, null, 0)), handler)) {
            sip.start();
            int port = sip.localPort("udp");
            try (RawPeer peer = new RawPeer("127.0.0.1", port)) {
                List<String> ids = new ArrayList<>();
                Map<String, SipMsg> invites = new HashMap<>();
                Map<String, SipMsg> oks = new HashMap<>();
                Map<String, Events> events = new HashMap<>();
                for (int i = 0; i < DIALOGS; i++) {
                    String id = UUID.randomUUID() + "@order";
                    String invite = peer.request("INVITE", "sip:" + (1000 + i) + "@127.0.0.1:" + port, id, 1, null,
                            sdp("c", 1));
                    byte[] b = invite.getBytes(StandardCharsets.UTF_8);
                    ids.add(id);
                    invites.put(id, SipMsg.parse(b, b.length));
                    peer.send(invite);
                }
                for (int i = 0; i < DIALOGS; i++) {
                    InboundLeg leg = handler.next(WAIT);
                    Events ev = new Events();
                    ev.onReinvite = (offer, responder) -> responder.accept(sdp("w", 2));
                    leg.setListener(ev);
                    events.put(leg.callId(), ev);
                    leg.answer(sdp("w", 1));
                }
                for (String id : ids) {
                    oks.put(id, peer.await(m -> m.isResponse() && m.status() == 200 && id.equals(m.header("call-id"))
                            && "1 INVITE".equals(m.header("cseq")), WAIT));
                }

                for (String id : ids) {
                    peer.sendTo(port, peer.inDialog("ACK", invites.get(id), oks.get(id), 1, null, null));
                    peer.sendTo(port, peer.inDialog("INVITE", invites.get(id), oks.get(id), 2, null, sdp("c", 2)));
                }

                List<String> refused = new ArrayList<>();
                for (String id : ids) {
                    SipMsg r = peer.await(m -> m.isResponse() && m.status() >= 200 && id.equals(m.header("call-id"))
                            && "2 INVITE".equals(m.header("cseq")), WAIT);
                    peer.sendTo(port, peer.inDialog("ACK", invites.get(id), oks.get(id), 2, null, null));
                    if (r.status() != 200) {
                        refused.add(r.status() + " " + id);
                    }
                }
                assertEquals(List.of(), refused, "re-INVITEs refused out of " + DIALOGS);
                for (String id : ids) {
                    assertEquals(sdp("c", 2), events.get(id).await("reinvite", WAIT).sdp());
                }

                for (String id : ids) {
                    peer.sendTo(port, peer.inDialog("BYE", invites.get(id), oks.get(id), 3, null, null));
                    SipMsg r = peer.await(m -> m.isResponse() && m.status() >= 200 && id.equals(m.header("call-id"))
                            && "3 BYE".equals(m.header("cseq")), WAIT);
                    assertEquals(200, r.status(), r.toString());
                }
                awaitTrue(() -> sip.activeCalls() == 0, WAIT, "legs released");
                assertTrue(events.values().stream().noneMatch(e -> e.drain().stream()
                        .anyMatch(x -> x.kind().equals("ended") && x.detail() == EndReason.ACK_TIMEOUT)));
            }
        } finally {
            handler.executor.shutdownNow();
        }
    }
}
