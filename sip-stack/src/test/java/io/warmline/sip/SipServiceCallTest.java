package io.warmline.sip;

import static io.warmline.sip.TestSupport.awaitTrue;
import static io.warmline.sip.TestSupport.sdp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.sip.testing.Events;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Two services on loopback: A dials through a trunk to B, whose handler plays the far end. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipServiceCallTest {

    private static final long WAIT = 5000;

    private SipService a;
    private SipService b;
    private TestSupport.Handler bHandler;
    private TestSupport.Handler aHandler;
    private ExecutorService callA;
    private Trunk toB;

    @BeforeAll
    void start() throws Exception {
        bHandler = new TestSupport.Handler("call-b");
        aHandler = new TestSupport.Handler("call-a-in");
        b = new SipService(TestSupport.settings(), List.of(TestSupport.trunk("from-a", 5060, "127.0.0.1/32",
                List.of("1*"), Duration.ofSeconds(10), null, null, 0)), bHandler);
        b.start();
        a = new SipService(TestSupport.settings(), List.of(), aHandler);
        a.start();
        toB = TestSupport.trunk("to-b", b.localPort("udp"), "127.0.0.1/32", List.of("*"), Duration.ofSeconds(10),
                null, null, 0);
        callA = TestSupport.executor("call-a");
    }

    @BeforeEach
    void quiet() throws Exception {
        bHandler.legs.clear();
        awaitTrue(() -> a.activeCalls() == 0 && b.activeCalls() == 0, WAIT, "previous test's legs released");
    }

    @AfterAll
    void stop() throws Exception {
        Thread closer = new Thread(a::close);
        closer.start();
        b.close();
        closer.join();
        callA.shutdownNow();
        bHandler.executor.shutdownNow();
        aHandler.executor.shutdownNow();
    }

    @Test
    void ringEarlyMediaAnswerReinviteBye() throws Exception {
        Events out = new Events();
        ConversationId conv = new ConversationId("conv-42");
        OutboundLeg leg = a.dial(toB, "1000", conv, sdp("a", 1), callA, out);
        assertEquals(conv, leg.conversationId());

        InboundLeg in = bHandler.next(WAIT);
        Events inEvents = new Events();
        in.setListener(inEvents);
        assertEquals(conv, in.conversationId(), "X-Conversation-ID carried");
        assertEquals("1000", in.calledNumber());
        assertEquals("4930100", in.callerNumber());
        assertEquals(sdp("a", 1), in.remoteSdp());
        assertEquals(leg.callId(), in.callId());
        assertEquals("from-a", in.trunk().name());

        in.ringing();
        Events.Event ringing = out.await("provisional", WAIT);
        assertEquals(180, ringing.status());
        assertNull(ringing.sdp());
        assertEquals("call-a", ringing.thread(), "callbacks run on the call executor");

        in.progress(sdp("b", 1));
        // With T1 at 20 ms a loaded machine can retransmit the INVITE, and B's transaction answers each copy with
        // its latest provisional again: a repeated 180 may come before the 183.
        Events.Event early = out.await("provisional", WAIT);
        while (early.status() == 180) {
            early = out.await("provisional", WAIT);
        }
        assertEquals(183, early.status());
        assertEquals(sdp("b", 1), early.sdp());

        in.answer(sdp("b", 1));
        Events.Event answered = out.await("answered", WAIT);
        assertEquals(sdp("b", 1), answered.sdp());
        assertEquals(1, a.activeCalls());
        assertEquals(1, b.activeCalls());

        // re-INVITE from A (e.g. hold): B's bridge answers it
        inEvents.onReinvite = (offer, responder) -> responder.accept(sdp("b", 2));
        AtomicReference<String> answer = new AtomicReference<>();
        Events cb = new Events();
        leg.reinvite(sdp("a", 2).replace("t=0 0\r\n", "t=0 0\r\na=sendonly\r\n"), new ReinviteCallback() {
            @Override
            public void onAnswer(String sdp) {
                answer.set(sdp);
                cb.onBye();
            }

            @Override
            public void onFailure(int status, String reason) {
                cb.onFailed(FailureReason.TRUNK_ERROR, status, reason);
            }
        });
        Events.Event offer = inEvents.await("reinvite", WAIT);
        assertTrue(offer.sdp().contains("a=sendonly"));
        assertEquals("call-b", offer.thread());
        cb.await("bye", WAIT);
        assertEquals(sdp("b", 2), answer.get());

        // a session-refresh style re-INVITE (same o= version) is answered without bothering B's listener
        Events cb2 = new Events();
        in.reinvite(sdp("b", 2), new ReinviteCallback() {
            @Override
            public void onAnswer(String sdp) {
                cb2.onAnswered(sdp);
            }

            @Override
            public void onFailure(int status, String reason) {
                cb2.onFailed(FailureReason.TRUNK_ERROR, status, reason);
            }
        });
        Events.Event refreshed = cb2.await(e -> true, WAIT);
        assertEquals("answered", refreshed.kind(), refreshed.toString());
        assertTrue(refreshed.sdp().contains("o=a 1000 2 "), "A answered with its current SDP");
        assertTrue(out.drain().stream().noneMatch(e -> e.kind().equals("reinvite")));

        leg.hangup();
        inEvents.await("bye", WAIT);
        awaitTrue(() -> a.activeCalls() == 0 && b.activeCalls() == 0, WAIT, "legs released");
        assertTrue(out.drain().stream().noneMatch(e -> e.kind().equals("bye") || e.kind().equals("ended")),
                "no callback after our own hangup");
    }

    @Test
    void calleeHangsUp() throws Exception {
        Events out = new Events();
        a.dial(toB, "1001", ConversationId.generate(), sdp("a", 1), callA, out);
        InboundLeg in = bHandler.next(WAIT);
        in.setListener(new Events());
        in.answer(sdp("b", 1));
        out.await("answered", WAIT);
        // B's hangup waits for the ACK if needed (RFC 3261 §15), then sends BYE
        in.hangup();
        out.await("bye", WAIT);
        awaitTrue(() -> a.activeCalls() == 0 && b.activeCalls() == 0, WAIT, "legs released");
    }

    @Test
    void cancelBeforeAnswer() throws Exception {
        Events out = new Events();
        OutboundLeg leg = a.dial(toB, "1002", ConversationId.generate(), sdp("a", 1), callA, out);
        InboundLeg in = bHandler.next(WAIT);
        Events inEvents = new Events();
        in.setListener(inEvents);
        in.ringing();
        out.await("provisional", WAIT);
        leg.hangup();
        inEvents.await("cancelled", WAIT);
        awaitTrue(() -> a.activeCalls() == 0 && b.activeCalls() == 0, WAIT, "legs released");
        assertTrue(out.drain().stream().allMatch(e -> e.kind().equals("provisional")), "nothing after hangup()");
    }

    @Test
    void busyMapsToBusy() throws Exception {
        Events out = new Events();
        a.dial(toB, "1003", ConversationId.generate(), sdp("a", 1), callA, out);
        InboundLeg in = bHandler.next(WAIT);
        in.reject(486, "Busy Here", null);
        Events.Event failed = out.await("failed", WAIT);
        assertEquals(FailureReason.BUSY, failed.detail());
        assertEquals(486, failed.status());
        assertEquals(486, FailureReason.BUSY.sipStatus());
        awaitTrue(() -> a.activeCalls() == 0 && b.activeCalls() == 0, WAIT, "legs released");
    }

    @Test
    void notAcceptableWithWarningIsATrunkError() throws Exception {
        Events out = new Events();
        a.dial(toB, "1004", ConversationId.generate(), sdp("a", 1), callA, out);
        bHandler.next(WAIT).reject(488, "Not Acceptable Here", "304 No common codec");
        Events.Event failed = out.await("failed", WAIT);
        assertEquals(FailureReason.TRUNK_ERROR, failed.detail());
        assertEquals(488, failed.status());
    }

    @Test
    void ringTimeoutCancels() throws Exception {
        Trunk quick = new Trunk("quick", "127.0.0.1", b.localPort("udp"), "udp", null, 0, null, null, List.of(),
                List.of(), Duration.ofMillis(300), java.util.Map.of());
        Events out = new Events();
        a.dial(quick, "1005", ConversationId.generate(), sdp("a", 1), callA, out);
        InboundLeg in = bHandler.next(WAIT);
        Events inEvents = new Events();
        in.setListener(inEvents);
        in.ringing();
        Events.Event failed = out.await("failed", WAIT);
        assertEquals(FailureReason.NO_ANSWER, failed.detail());
        inEvents.await("cancelled", WAIT);
        awaitTrue(() -> a.activeCalls() == 0 && b.activeCalls() == 0, WAIT, "legs released");
    }

    @Test
    void numberOutsideTrunkPatternIsForbidden() throws Exception {
        Events out = new Events();
        a.dial(toB, "2000", ConversationId.generate(), sdp("a", 1), callA, out);
        Events.Event failed = out.await("failed", WAIT);
        assertEquals(FailureReason.REJECTED, failed.detail());
        assertEquals(403, failed.status());
        awaitTrue(() -> b.aclRejectedCount() >= 1, WAIT, "ACL counter");
        assertTrue(bHandler.legs.isEmpty());
    }

    @Test
    void drainingRefusesNewCallsButServesExistingOnes() throws Exception {
        TestSupport.Handler cHandler = new TestSupport.Handler("call-c");
        try (SipService c = new SipService(TestSupport.settings(), List.of(TestSupport.trunk("from-a", 5060,
                "127.0.0.1/32", List.of("*"), Duration.ofSeconds(10), null, null, 0)), cHandler)) {
            c.start();
            Trunk toC = TestSupport.trunk("to-c", c.localPort("udp"), "127.0.0.1/32", List.of("*"),
                    Duration.ofSeconds(10), null, null, 0);
            Events out = new Events();
            a.dial(toC, "1006", ConversationId.generate(), sdp("a", 1), callA, out);
            InboundLeg in = cHandler.next(WAIT);
            Events inEvents = new Events();
            in.setListener(inEvents);
            in.answer(sdp("b", 1));
            out.await("answered", WAIT);

            c.stopAccepting();
            Events refused = new Events();
            a.dial(toC, "1007", ConversationId.generate(), sdp("a", 1), callA, refused);
            Events.Event failed = refused.await("failed", WAIT);
            assertEquals(503, failed.status());
            assertEquals(FailureReason.UNAVAILABLE, failed.detail());
            assertTrue(cHandler.legs.isEmpty());

            in.hangup(); // the existing call is still served
            out.await("bye", WAIT);
        } finally {
            cHandler.executor.shutdownNow();
        }
    }

    @Test
    void invalidNumberIsRefusedSynchronously() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> a.dial(toB, "1000@evil", ConversationId.generate(), sdp("a", 1), callA, new Events()));
    }
}
