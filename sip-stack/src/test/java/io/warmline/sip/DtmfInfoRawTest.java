package io.warmline.sip;

import static io.warmline.sip.TestSupport.awaitTrue;
import static io.warmline.sip.TestSupport.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.sip.testing.Events;
import io.warmline.sip.testing.RawPeer;
import io.warmline.sip.testing.SipMsg;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** DTMF in SIP INFO on both kinds of leg, against a raw UDP peer. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DtmfInfoRawTest {

    /** Generous: an await returns as soon as its message arrives, and CI machines can be busy. */
    private static final long WAIT = 10_000;

    private SipService sip;
    private TestSupport.Handler handler;
    private ExecutorService call;
    private RawPeer peer;
    private int port;

    @BeforeAll
    void start() throws Exception {
        handler = new TestSupport.Handler("call");
        sip = new SipService(TestSupport.settings(), List.of(TestSupport.trunk("carrier", 5060, "127.0.0.1/32",
                List.of("1*"), Duration.ofSeconds(10), null, null, 0)), handler);
        sip.start();
        port = sip.localPort("udp");
        call = TestSupport.executor("outcall");
    }

    @AfterAll
    void stop() {
        sip.close();
        handler.executor.shutdownNow();
        call.shutdownNow();
    }

    @BeforeEach
    void quiet() throws Exception {
        handler.legs.clear();
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "previous legs released");
        peer = new RawPeer("127.0.0.1", port);
    }

    @AfterEach
    void closePeer() {
        peer.close();
    }

    /** A confirmed inbound call: the INVITE, our 200 and the ACK sent. */
    private record Inbound(InboundLeg leg, Events events, SipMsg invite, SipMsg ok) {
    }

    private Inbound answeredInbound() throws Exception {
        String invite = peer.request("INVITE", "sip:1000@127.0.0.1:" + port, UUID.randomUUID() + "@test", 1, null,
                sdp("c", 1));
        peer.send(invite);
        InboundLeg leg = handler.next(WAIT);
        Events ev = new Events();
        leg.setListener(ev);
        leg.answer(sdp("w", 1));
        SipMsg ok = peer.await(m -> m.isResponse() && m.status() == 200, WAIT);
        SipMsg inviteMsg = SipMsg.parse(invite.getBytes(), invite.length());
        peer.sendTo(port, peer.inDialog("ACK", inviteMsg, ok, 1, null, null));
        return new Inbound(leg, ev, inviteMsg, ok);
    }

    private SipMsg info(Inbound c, int cseq, String contentType, String body) throws Exception {
        peer.sendTo(port, peer.inDialog("INFO", c.invite(), c.ok(), cseq, null, contentType, body));
        return peer.awaitFinal("INFO", WAIT);
    }

    private void bye(Inbound c, int cseq) throws Exception {
        peer.sendTo(port, peer.inDialog("BYE", c.invite(), c.ok(), cseq, null, null));
        assertEquals(200, peer.awaitFinal("BYE", WAIT).status());
    }

    @Test
    void dtmfInfoIsAnswered200AndDeliveredOnTheCallExecutor() throws Exception {
        Inbound c = answeredInbound();
        assertEquals(200, info(c, 2, "application/dtmf-relay", "Signal=5\r\nDuration=160\r\n").status());
        Events.Event e = c.events().await("dtmf", WAIT);
        assertEquals(new DtmfInfo(DtmfDigit.D5, 160), e.detail());
        assertEquals("call", e.thread());
        assertEquals(200, info(c, 3, "application/dtmf", "11").status());
        assertEquals(DtmfDigit.POUND, ((DtmfInfo) c.events().await("dtmf", WAIT).detail()).digit());
        bye(c, 4);
    }

    @Test
    void otherBodiesAre415WithAcceptAndMalformedOnes400() throws Exception {
        Inbound c = answeredInbound();
        SipMsg r415 = info(c, 2, "application/broadsoft", "event flashhook");
        assertEquals(415, r415.status());
        assertEquals("application/dtmf-relay,application/dtmf", String.join(",", r415.all("accept")).replace(" ", ""));
        assertEquals(400, info(c, 3, "application/dtmf-relay", "Signal=X\r\n").status());
        assertEquals(200, info(c, 4, null, null).status(), "an empty INFO is a keep-alive");
        bye(c, 5);
        assertTrue(c.events().drain().stream().noneMatch(e -> e.kind().equals("dtmf")), "nothing delivered");
    }

    @Test
    void infoOutsideADialogIs481() throws Exception {
        peer.send(peer.request("INFO", "sip:1000@127.0.0.1:" + port, UUID.randomUUID() + "@test", 1, null, null));
        assertEquals(481, peer.awaitFinal("INFO", WAIT).status());
        String inDialogLike = peer.request("INFO", "sip:1000@127.0.0.1:" + port, UUID.randomUUID() + "@test", 1,
                "Content-Type: application/dtmf-relay\r\n", null).replace(">\r\nCall-ID", ">;tag=gone\r\nCall-ID");
        peer.send(inDialogLike);
        assertEquals(481, peer.awaitFinal("INFO", WAIT).status());
    }

    @Test
    void inboundLegSendsKeysInOrderOneInfoAtATime() throws Exception {
        Inbound c = answeredInbound();
        BlockingQueue<Integer> results = new LinkedBlockingQueue<>();
        sendOnceConfirmed(c.leg(), new DtmfInfo(DtmfDigit.D1, 100), results);
        c.leg().sendDtmf(new DtmfInfo(DtmfDigit.STAR, 250), (status, reason) -> results.add(status));
        c.leg().sendDtmf(new DtmfInfo(DtmfDigit.D9, 100), DtmfInfoCodecTypes.DTMF, (status, reason) -> results.add(status));
        SipMsg first = peer.awaitRequest("INFO", WAIT);
        assertEquals("application/dtmf-relay", first.header("content-type"));
        assertEquals("Signal=1\r\nDuration=100\r\n", first.body());
        assertTrue(first.header("from").contains(c.ok().header("to")) || first.header("from").equals(c.ok().header("to")));
        assertThrows(AssertionError.class, () -> nextInfo(first, 300), "the next waits for the answer");
        peer.sendTo(port, first.respond(200, "OK", null, null, null));
        SipMsg second = nextInfo(first, WAIT);
        assertEquals("Signal=*\r\nDuration=250\r\n", second.body());
        peer.sendTo(port, second.respond(200, "OK", null, null, null));
        SipMsg third = nextInfo(second, WAIT);
        assertEquals("application/dtmf", third.header("content-type"));
        assertEquals("9", third.body());
        peer.sendTo(port, third.respond(200, "OK", null, null, null));
        for (int i = 0; i < 3; i++) {
            assertEquals(200, results.poll(WAIT, TimeUnit.MILLISECONDS));
        }
        int cseq1 = Integer.parseInt(first.header("cseq").split(" ")[0]);
        int cseq3 = Integer.parseInt(third.header("cseq").split(" ")[0]);
        assertEquals(cseq1 + 2, cseq3);
        bye(c, 2);
    }

    @Test
    void outboundLegSendsAndReceivesInfoAnd481EndsTheDialog() throws Exception {
        Events ev = new Events();
        Trunk trunk = TestSupport.trunk("far", peer.port(), "127.0.0.1/32", List.of("*"), Duration.ofSeconds(10),
                null, null, 0);
        OutboundLeg leg = sip.dial(trunk, "100", ConversationId.generate(), sdp("w", 1), call, ev);
        BlockingQueue<Integer> results = new LinkedBlockingQueue<>();
        leg.sendDtmf(new DtmfInfo(DtmfDigit.D2, 100), (status, reason) -> results.add(status));
        assertEquals(481, results.poll(WAIT, TimeUnit.MILLISECONDS), "no confirmed dialog yet");
        SipMsg inv = peer.awaitRequest("INVITE", WAIT);
        String contact = "Contact: <sip:far@127.0.0.1:" + peer.port() + ">\r\n";
        String okText = inv.respond(200, "OK", "t1", contact, sdp("f", 1));
        peer.sendTo(port, okText);
        ev.await("answered", WAIT);
        peer.awaitRequest("ACK", WAIT);
        SipMsg ok = SipMsg.parse(okText.getBytes(), okText.length());

        // The callee sends a key: requests from callee to caller swap From and To.
        String info = "INFO " + target(inv) + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=" + RawPeer.branch() + "\r\n"
                + "Max-Forwards: 70\r\nFrom: " + ok.header("to") + "\r\nTo: " + inv.header("from") + "\r\n"
                + "Call-ID: " + inv.header("call-id") + "\r\nCSeq: 1 INFO\r\n"
                + "Content-Type: application/dtmf-relay\r\nContent-Length: 10\r\n\r\nSignal=B\r\n";
        peer.sendTo(port, info);
        assertEquals(200, peer.awaitFinal("INFO", WAIT).status());
        assertEquals(new DtmfInfo(DtmfDigit.B, 250), ev.await("dtmf", WAIT).detail());
        assertEquals("outcall", ev.drain().stream().filter(e -> e.kind().equals("dtmf")).findFirst().get().thread());

        leg.sendDtmf(new DtmfInfo(DtmfDigit.D3, 120), (status, reason) -> results.add(status));
        SipMsg out = peer.awaitRequest("INFO", WAIT);
        assertEquals("Signal=3\r\nDuration=120\r\n", out.body());
        peer.sendTo(port, out.respond(481, "Call/Transaction Does Not Exist", null, null, null));
        assertEquals(481, results.poll(WAIT, TimeUnit.MILLISECONDS));
        assertEquals(EndReason.DIALOG_LOST, ev.await("ended", WAIT).detail());
        SipMsg bye = peer.awaitRequest("BYE", WAIT);
        peer.sendTo(port, bye.respond(200, "OK", null, null, null));
        awaitTrue(() -> sip.activeCalls() == 0, WAIT, "leg released");
    }

    @Test
    void onlyDtmfContentTypesMayBeSent() throws Exception {
        Inbound c = answeredInbound();
        assertThrows(IllegalArgumentException.class,
                () -> c.leg().sendDtmf(new DtmfInfo(DtmfDigit.D1, 100), "text/plain", null));
        bye(c, 2);
    }

    /** The next INFO after {@code previous} (retransmissions of earlier ones skipped). */
    private SipMsg nextInfo(SipMsg previous, long timeoutMs) throws Exception {
        return peer.await(m -> !m.isResponse() && m.method().equals("INFO")
                && cseq(m) > cseq(previous), timeoutMs);
    }

    private static long cseq(SipMsg m) {
        return Long.parseLong(m.header("cseq").split(" ")[0]);
    }

    /**
     * The ACK reaches the leg on the stack's threads; until it has, a key is refused with 481. Retries (bounded) until
     * the INFO is in flight, i.e. no answer comes back at once because the peer has not answered it.
     */
    private static void sendOnceConfirmed(InboundLeg leg, DtmfInfo info, BlockingQueue<Integer> results)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT);
        while (System.nanoTime() < deadline) {
            leg.sendDtmf(info, (status, reason) -> results.add(status));
            Integer early = results.poll(100, TimeUnit.MILLISECONDS);
            if (early == null) {
                return;
            }
            assertEquals(481, early, "only the unconfirmed dialog may refuse it");
        }
        throw new AssertionError("the dialog was not confirmed");
    }

    private static String target(SipMsg inv) {
        String contact = inv.header("contact");
        return contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
    }

    /** The two content types by name, as a caller passes them. */
    private static final class DtmfInfoCodecTypes {
        static final String DTMF = io.warmline.dtmf.info.DtmfInfoCodec.DTMF;
    }
}
