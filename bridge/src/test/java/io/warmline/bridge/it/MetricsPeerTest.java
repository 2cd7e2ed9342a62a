package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.bridge.metrics.Exposition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /metrics} of a running node around a real call: a SIPp carrier plays {@code g711a.pcap} as PCMA to a
 * SIPp support line that answers Opus only, so Warmline terminates the media in a bridge. The exposition is scraped
 * before and after and parsed; the call counters, the bridge's tick and frame counters and the quality histograms of
 * both SIP legs must have moved by exactly what one call makes them move.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsPeerTest {
    private static final String SIP = "sip";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private PeerNode node;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.startWithSupport("MetricsPeerTest", Duration.ofSeconds(2), "codecs: [opus]");
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
            assertFalse(node.process.output().text().contains(node.apiKey), "the API key was logged");
        }
    }

    private HttpResponse<String> get(String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + node.httpPort
                + "/metrics")).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Exposition scrape() throws Exception {
        HttpResponse<String> r = get("Bearer " + node.apiKey);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("content-type").orElse(""));
        return Exposition.parse(r.body());
    }

    /**
     * Scrapes until {@code done} holds, at most 20 times: the call's last counters are written on its loop right
     * after the log line the test waits for, so one or two scrapes are enough.
     */
    private Exposition scrapeUntil(Predicate<Exposition> done) throws Exception {
        // A call's legs, its bridge and its counters end in separate steps on its loop, so a scrape may fall between
        // them; scrape again until everything the test waits for is in, for at most ten seconds.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Exposition e = scrape();
        while (!done.test(e) && System.nanoTime() < deadline) {
            e = scrape();
        }
        return e;
    }

    @Test
    void withoutTheApiKeyTheNodeRefusesToTellItsCounts() throws Exception {
        HttpResponse<String> none = get(null);
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("www-authenticate").orElse("").startsWith("Bearer"));
        assertFalse(none.body().contains("warmline_calls"), none.body());
        assertEquals(401, get("Bearer not-" + node.apiKey).statusCode());
    }

    @Test
    void anInviteRefusedByTheTrunksNumberCheckIsCountedAsAnAclRejection(TestInfo test) throws Exception {
        Exposition before = scrape();
        // The node's WebRTC port is bound too: its meters are there, at 0, with their closed set of reasons.
        assertEquals(0, before.value("warmline_webrtc_legs_active").orElseThrow());
        assertEquals(0, before.value("warmline_webrtc_rejections_total", "reason", "srtp-replay").orElseThrow());
        String dir = test.getTestMethod().orElseThrow().getName();
        Sipp.Result uac = node.uac(dir, "uac-expect-403.xml", "3000").set("offer", "pcma")
                .timeout(Duration.ofSeconds(15)).run();
        assertTrue(uac.succeeded(), uac::describe);
        Exposition after = scrapeUntil(e -> delta(before, e, "warmline_sip_requests_rejected_total", "reason", "acl") >= 1);
        // The 403 is stateless, so each copy of the INVITE is refused and counted: SIPp retransmits it after 500 ms
        // when the node is slow to answer (a loaded machine), at most 7 times (Timer B, RFC 3261 §17.1.1.2).
        double acl = delta(before, after, "warmline_sip_requests_rejected_total", "reason", "acl");
        assertTrue(acl >= 1 && acl <= 8, "acl rejections " + acl);
        assertEquals(0, delta(before, after, "warmline_calls_started_total", "trunk", "carrier"));
    }

    @Test
    void aTerminatedCallMovesTheCallCountersTheBridgeCountersAndTheQualityHistograms(TestInfo test)
            throws Exception {
        String dir = test.getTestMethod().orElseThrow().getName();
        Exposition before = scrape();
        assertEquals("counter", before.type("warmline_media_ticks_total"));
        assertEquals("histogram", before.type("warmline_leg_mos"));
        assertEquals("gauge", before.type("warmline_calls_active"));

        try (Sipp.Running uas = node.uas(dir, "uas-echo-opus.xml").start().awaitListening()) {
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma")
                    .pause(Duration.ofSeconds(3)).run();
            assertCallSucceeded(uac, uas.await());
        }
        assertTrue(node.process.output().await(l -> l.contains("CONNECTED -> ENDED"), Duration.ofSeconds(10)),
                "the node did not end the call:\n" + node.process.output().tail(30));
        Exposition after = scrapeUntil(e -> delta(before, e, "warmline_leg_mos_count", "kind", SIP) >= 2
                && delta(before, e, "warmline_calls_ended_total", "trunk", "carrier", "outcome", "answered") >= 1
                && delta(before, e, "warmline_media_ticks_total") + delta(before, e, "warmline_media_ticks_skipped_total")
                        >= 100);

        assertEquals(1, delta(before, after, "warmline_calls_started_total", "trunk", "carrier"));
        assertEquals(1, delta(before, after, "warmline_calls_ended_total", "trunk", "carrier", "outcome", "answered"));
        assertEquals(0, after.valueOrZero("warmline_calls_active"));
        assertEquals(0, after.valueOrZero("warmline_media_bridges_active"));
        assertEquals(0, after.valueOrZero("warmline_media_legs_active", "kind", SIP));

        // The carrier's leg and the support line's, each once, and no browser leg.
        assertEquals(2, delta(before, after, "warmline_leg_mos_count", "kind", SIP));
        assertEquals(2, delta(before, after, "warmline_leg_loss_fraction_count", "kind", SIP));
        assertEquals(2, delta(before, after, "warmline_leg_jitter_milliseconds_count", "kind", SIP));
        assertEquals(0, delta(before, after, "warmline_leg_mos_count", "kind", "webrtc"));
        // The MOS depends on the machine: a starved loop grows the jitter buffers, and their delay lowers it. It
        // stays on the G.107 scale, and every value lands in a finite bucket (the scale ends at 4.5).
        double meanMos = delta(before, after, "warmline_leg_mos_sum", "kind", SIP) / 2;
        assertTrue(meanMos >= 1 && meanMos <= 4.5, "mean MOS of the two legs: " + meanMos);
        assertEquals(2, delta(before, after, "warmline_leg_mos_bucket", "kind", SIP, "le", "4.5"));
        assertEquals(2, delta(before, after, "warmline_leg_loss_fraction_bucket", "kind", SIP, "le", "1"));
        double loss = delta(before, after, "warmline_leg_loss_fraction_sum", "kind", SIP);
        assertTrue(loss >= 0 && loss <= 2, "loss fractions " + loss);

        // About 3 s of call in one bridge: some 150 tick periods, two output frames due in each (ticks skipped
        // after a stall included).
        double ticks = delta(before, after, "warmline_media_ticks_total");
        double skipped = delta(before, after, "warmline_media_ticks_skipped_total");
        double due = delta(before, after, "warmline_media_frames_due_total");
        assertTrue(ticks > 0 && ticks + skipped >= 100, "ticks " + ticks + ", skipped " + skipped);
        assertEquals(2 * (ticks + skipped), due, 4, "frames due for " + ticks + " ticks and " + skipped + " skipped");
        assertTrue(delta(before, after, "warmline_media_frames_sent_total") > 0);
        assertTrue(delta(before, after, "warmline_media_encodes_total") > 0);
    }

    private static double delta(Exposition before, Exposition after, String name, String... labels) {
        return after.valueOrZero(name, labels) - before.valueOrZero(name, labels);
    }
}
