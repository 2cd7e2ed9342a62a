package io.warmline.bridge.it;

import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.bridge.metrics.Exposition;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The SIP worker lanes of a running node, seen through {@code GET /metrics}: a burst of OPTIONS on one Call-ID, sent
 * over loopback faster than one worker answers them, fills that Call-ID's lane; the datagrams that find it full move
 * {@code warmline_sip_udp_datagrams_dropped_total{reason="lane-full"}} and the peak depth reaches the capacity; the
 * lane's depth then falls back to 0.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipLanesPeerTest {
    private static final String DROPPED = "warmline_sip_udp_datagrams_dropped_total";
    /** Bursts sent before giving up; one is enough on an idle machine. */
    private static final int MAX_BURSTS = 20;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private PeerNode node;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.start("SipLanesPeerTest", Duration.ofSeconds(2));
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private Exposition scrape() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + node.httpPort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + node.apiKey).GET().build();
        HttpResponse<String> response = http.send(r, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Exposition.parse(response.body());
    }

    @Test
    void aBurstOnOneCallIdFillsItsLaneAndTheDropsShowInMetrics() throws Exception {
        Exposition before = scrape();
        assertEquals("counter", before.type(DROPPED));
        assertEquals(0, before.value(DROPPED, "reason", "lane-full").orElseThrow());
        assertEquals(0, before.value(DROPPED, "reason", "stale").orElseThrow());
        assertEquals(0, before.value("warmline_sip_udp_lane_depth", "lane", "0").orElseThrow());
        int capacity = (int) before.value("warmline_sip_udp_lane_capacity").orElseThrow();
        assertTrue(capacity > 0, "capacity " + capacity);

        Exposition after = before;
        int cseq = 0;
        try (DatagramSocket peer = socket()) {
            // Three lanes' worth per burst; the node's answers pile up unread in this socket and are dropped there.
            for (int burst = 0; burst < MAX_BURSTS && after.valueOrZero(DROPPED, "reason", "lane-full") == 0;
                    burst++) {
                for (int i = 0; i < 3 * capacity; i++) {
                    send(peer, options(peer, "burst@peer", ++cseq));
                }
                after = scrape();
            }
        }
        assertTrue(after.valueOrZero(DROPPED, "reason", "lane-full") > 0,
                "no datagram found its lane full after " + cseq + " sent");
        assertEquals(capacity, after.valueOrZero("warmline_sip_udp_lane_depth_peak"), "the lane was full");

        // The worker catches up: every lane is empty again (the burst's thousands of OPTIONS transactions also
        // fill the stack's transaction table for Timer J, so further requests are not answered for a while).
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (queued(after) > 0 && System.nanoTime() < deadline) {
            after = scrape();
        }
        assertEquals(0, queued(after), "datagrams still queued");
        // Every datagram the full lane held was handed to a worker, or dropped as stale when it waited past the
        // congestion timeout (on a saturated machine); the workers spent some time on those they got.
        double processed = after.valueOrZero("warmline_sip_udp_datagrams_processed_total")
                - before.valueOrZero("warmline_sip_udp_datagrams_processed_total");
        double stale = after.valueOrZero(DROPPED, "reason", "stale");
        assertTrue(processed + stale >= capacity, "processed " + processed + ", stale " + stale);
        assertTrue(processed > 0);
        assertTrue(after.valueOrZero("warmline_sip_udp_worker_busy_seconds_total")
                > before.valueOrZero("warmline_sip_udp_worker_busy_seconds_total"));
        assertTrue(after.valueOrZero("warmline_sip_udp_datagram_processing_max_seconds") > 0);
    }

    private static double queued(Exposition e) {
        double sum = 0;
        for (int lane = 0; e.value("warmline_sip_udp_lane_depth", "lane", Integer.toString(lane)).isPresent(); lane++) {
            sum += e.value("warmline_sip_udp_lane_depth", "lane", Integer.toString(lane)).orElseThrow();
        }
        return sum;
    }

    private static DatagramSocket socket() throws Exception {
        return new DatagramSocket(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
    }

    private String options(DatagramSocket peer, String callId, int cseq) {
        String local = LOOPBACK + ":" + peer.getLocalPort();
        return "OPTIONS sip:" + PeerNode.ROUTED_NUMBER + "@" + node.sipAddress() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + local + ";branch=z9hG4bK-lanes-" + cseq + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:carrier@" + LOOPBACK + ">;tag=lanes\r\n"
                + "To: <sip:" + PeerNode.ROUTED_NUMBER + "@" + LOOPBACK + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    private void send(DatagramSocket peer, String message) throws Exception {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        peer.send(new DatagramPacket(b, b.length, InetAddress.getByName(LOOPBACK), node.sipPort));
    }
}
