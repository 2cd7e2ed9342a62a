package io.warmline.bridge.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warmline.media.bridge.BridgeStats;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.quality.CallQuality;
import io.warmline.media.quality.CodecImpairment;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.MediaLegStats;
import io.warmline.media.transport.RtpEndpoint;
import io.warmline.webrtc.WebRtcEndpointStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meters over real bridges on an embedded loop in fake time, read back through the Prometheus text the scrape
 * renders (parsed, not grepped).
 */
class NodeMetricsTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EventLoop loop = channel.eventLoop();
    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final NodeMetrics metrics = new NodeMetrics();

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    private Exposition scrape() throws Exception {
        return Exposition.parse(metrics.scrape(Runnable::run).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    /** Runs the loop's scheduled ticks for {@code periods} 20 ms periods of fake time. */
    private void run(int periods) {
        for (int i = 0; i < periods; i++) {
            channel.runScheduledPendingTasks();
            clock.advanceMillis(20);
            channel.advanceTimeBy(20, TimeUnit.MILLISECONDS);
        }
        channel.runScheduledPendingTasks();
    }

    /** A far end that sends nothing and drops what it is sent. */
    private RtpEndpoint sink(long ssrc) {
        return new RtpEndpoint() {
            @Override
            public EventLoop eventLoop() {
                return loop;
            }

            @Override
            public long localSsrc() {
                return ssrc;
            }

            @Override
            public void send(ByteBuf rtpPacket) {
                rtpPacket.release();
            }

            @Override
            public void setListener(Listener listener) {
            }
        };
    }

    @Test
    void mediaCountersAreTheLiveBridgesPlusTheClosedOnes() throws Exception {
        channel.freezeTime();
        MediaBridge first = MediaBridge.start(loop, clock, 8000);
        TrackedBridge firstTracked = metrics.track(first);
        first.addLeg("a", sink(1), LegCodec.pcmu(-1));
        run(10);
        BridgeStats live = first.stats();
        assertTrue(live.ticks() >= 10, "ticks " + live.ticks());
        assertTrue(live.framesDue() >= 10, "frames due " + live.framesDue());

        Exposition e = scrape();
        assertEquals(live.ticks(), e.valueOrZero("warmline_media_ticks_total"));
        assertEquals(live.framesDue(), e.valueOrZero("warmline_media_frames_due_total"));
        assertEquals(live.lateOutputFrames(), e.valueOrZero("warmline_media_frames_late_total"));
        assertEquals(1, e.valueOrZero("warmline_media_bridges_active"));
        assertEquals("counter", e.type("warmline_media_ticks_total"));

        run(5);
        BridgeStats last = first.stats();
        firstTracked.closed(last);
        first.close();
        MediaBridge second = MediaBridge.start(loop, clock, 8000);
        metrics.track(second);
        run(3);
        BridgeStats secondLive = second.stats();

        e = scrape();
        assertEquals(last.ticks() + secondLive.ticks(), e.valueOrZero("warmline_media_ticks_total"));
        assertEquals(last.framesDue() + secondLive.framesDue(), e.valueOrZero("warmline_media_frames_due_total"));
        assertEquals(last.outputFrames() + secondLive.outputFrames(),
                e.valueOrZero("warmline_media_frames_sent_total"));
        assertEquals(1, e.valueOrZero("warmline_media_bridges_active"));
        second.close();
    }

    @Test
    void anEndedLegGoesIntoTheQualityHistogramsOfItsKind() throws Exception {
        // 1000 packets received, 20 lost in the network, 3.5 ms jitter, 40 ms round trip, G.711 relayed.
        MediaLegStats stats = new MediaLegStats(1000, 172_000, 1000, 172_000, 2, 0, 0, 5, 5, 0.0, 20, 3.5, 40.0,
                -1, -1);
        TrackedLeg leg = metrics.track(LegKind.SIP, loop, () -> LegSample.sip(stats, null, false));
        Exposition e = scrape();
        assertEquals(1, e.valueOrZero("warmline_media_legs_active", "kind", "sip"));
        assertEquals(0, e.valueOrZero("warmline_leg_mos_count", "kind", "sip"));

        leg.ended();
        leg.ended();
        e = scrape();
        double mos = CallQuality.estimate(CodecImpairment.G711_PLC, 20, 0, 20, 1020, 20).mos();
        assertEquals(1, e.valueOrZero("warmline_leg_mos_count", "kind", "sip"));
        assertEquals(mos, e.valueOrZero("warmline_leg_mos_sum", "kind", "sip"), 1e-9);
        assertEquals(0, e.valueOrZero("warmline_leg_mos_count", "kind", "webrtc"));
        assertEquals(20.0 / 1020, e.valueOrZero("warmline_leg_loss_fraction_sum", "kind", "sip"), 1e-9);
        assertEquals(0, e.valueOrZero("warmline_leg_loss_fraction_bucket", "kind", "sip", "le", "0.01"));
        assertEquals(1, e.valueOrZero("warmline_leg_loss_fraction_bucket", "kind", "sip", "le", "0.02"));
        assertEquals(3.5, e.valueOrZero("warmline_leg_jitter_milliseconds_sum", "kind", "sip"), 1e-9);
        assertEquals(0, e.valueOrZero("warmline_leg_rtt_milliseconds_bucket", "kind", "sip", "le", "20"));
        assertEquals(1, e.valueOrZero("warmline_leg_rtt_milliseconds_bucket", "kind", "sip", "le", "50"));
        assertEquals(2, e.valueOrZero("warmline_media_packets_malformed_total", "kind", "sip"));
        assertEquals(0, e.valueOrZero("warmline_media_legs_active", "kind", "sip"));
        assertEquals("histogram", e.type("warmline_leg_mos"));
    }

    @Test
    void aLegThatReceivedNothingHasNoQualityToRecord() throws Exception {
        MediaLegStats silent = new MediaLegStats(0, 0, 50, 8600, 0, 0, 0, 0, 0, 0.0, 0, 0.0, -1, -1, -1);
        metrics.track(LegKind.SIP, loop, () -> LegSample.sip(silent, null, false)).ended();
        assertEquals(0, scrape().valueOrZero("warmline_leg_mos_count", "kind", "sip"));
    }

    @Test
    void liveLegsBelowTheMosFloorAreCountedAsPoor() throws Exception {
        MediaLegStats good = new MediaLegStats(1000, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0, 1.0, 30.0, -1, -1);
        MediaLegStats lossy = new MediaLegStats(700, 0, 0, 0, 0, 0, 0, 0, 0, 0.3, 300, 25.0, 30.0, -1, -1);
        metrics.track(LegKind.SIP, loop, () -> LegSample.sip(good, null, false));
        TrackedLeg bad = metrics.track(LegKind.SIP, loop, () -> LegSample.sip(lossy, null, false));
        assertEquals(1, scrape().valueOrZero("warmline_legs_poor_quality"));
        bad.ended();
        Exposition e = scrape();
        assertEquals(0, e.valueOrZero("warmline_legs_poor_quality"));
        assertEquals(1, e.valueOrZero("warmline_leg_mos_bucket", "kind", "sip", "le", "3.6"));
    }

    @Test
    void callsAreCountedByTrunkAndOutcome() throws Exception {
        metrics.bindCalls(List.of("carrier", "other"), () -> 3, () -> 2);
        metrics.callStarted("carrier");
        metrics.callStarted("carrier");
        metrics.callEnded("carrier", CallOutcome.ANSWERED);
        metrics.callEnded("carrier", CallOutcome.CANCELLED);
        metrics.rejectedNoRoute();
        metrics.escalationEnded("support", "completed");
        Exposition e = scrape();
        assertEquals(2, e.valueOrZero("warmline_calls_started_total", "trunk", "carrier"));
        assertEquals(1, e.valueOrZero("warmline_calls_ended_total", "trunk", "carrier", "outcome", "answered"));
        assertEquals(1, e.valueOrZero("warmline_calls_ended_total", "trunk", "carrier", "outcome", "cancelled"));
        assertEquals(3, e.valueOrZero("warmline_calls_active"));
        assertEquals(2, e.valueOrZero("warmline_conversations_active"));
        assertEquals(1, e.valueOrZero("warmline_sip_requests_rejected_total", "reason", "no-route"));
        assertEquals(1, e.valueOrZero("warmline_escalations_ended_total", "target", "support", "state", "completed"));
        // A configured trunk's counters exist before its first call.
        assertEquals(0.0, e.value("warmline_calls_started_total", "trunk", "other").orElseThrow());
        assertEquals(0.0, e.value("warmline_calls_ended_total", "trunk", "other", "outcome", "refused").orElseThrow());
    }

    @Test
    void webRtcRejectionsAreOneCounterWithAReason() throws Exception {
        // Each count distinct, so a reason read from the wrong field shows.
        WebRtcEndpointStats stats = new WebRtcEndpointStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 20, 17,
                18, 19, 19_000_000_000L, 2_000_000_000L, 22, 23, 24, 25, 26, 27);
        metrics.bindWebRtc(() -> stats, () -> 2);
        Exposition e = scrape();
        assertEquals(2, e.valueOrZero("warmline_webrtc_legs_active"));
        assertEquals(3, e.valueOrZero("warmline_webrtc_legs_connected_total"));
        assertEquals(5, e.valueOrZero("warmline_webrtc_rejections_total", "reason", "unknown-ufrag"));
        assertEquals(6, e.valueOrZero("warmline_webrtc_rejections_total", "reason", "bad-integrity"));
        assertEquals(17, e.valueOrZero("warmline_webrtc_rejections_total", "reason", "fingerprint-mismatch"));
        assertEquals(20 - 17, e.valueOrZero("warmline_webrtc_rejections_total", "reason", "dtls-failed"));
        assertEquals(12, e.valueOrZero("warmline_webrtc_rejections_total", "reason", "srtp-auth"));
        assertEquals(13, e.valueOrZero("warmline_webrtc_rejections_total", "reason", "srtp-replay"));
        assertEquals(27, e.valueOrZero("warmline_webrtc_rejections_total", "reason", "consent-expired"));
        assertEquals(24, e.valueOrZero("warmline_webrtc_rejections_total", "reason", "candidate-refused"));
        assertEquals(19, e.valueOrZero("warmline_webrtc_handshake_seconds_count"));
        assertEquals(19.0, e.valueOrZero("warmline_webrtc_handshake_seconds_sum"), 1e-9);
        assertEquals(2.0, e.valueOrZero("warmline_webrtc_handshake_max_seconds"), 1e-9);
    }

    @Test
    void recordingCountersAreTheWritersCounters() throws Exception {
        io.warmline.media.record.RecordingWriterStats[] now = {
                new io.warmline.media.record.RecordingWriterStats(3, 1, 120, 2, 1, 0, 0, 4)};
        metrics.bindRecording(() -> now[0]);
        Exposition e = scrape();
        assertEquals(3, e.valueOrZero("warmline_recording_files_total"));
        assertEquals(1, e.valueOrZero("warmline_recording_files_failed_total"));
        assertEquals(120, e.valueOrZero("warmline_recording_seconds_written_total"));
        assertEquals(2, e.valueOrZero("warmline_recording_seconds_dropped_total"));
        assertEquals(1, e.valueOrZero("warmline_recording_stopped_total", "reason", "low-space"));
        assertEquals(0, e.valueOrZero("warmline_recording_stopped_total", "reason", "max-duration"));
        assertEquals(4, e.valueOrZero("warmline_recording_queued"));
        now[0] = new io.warmline.media.record.RecordingWriterStats(4, 1, 130, 2, 1, 1, 1, 0);
        e = scrape();
        assertEquals(130, e.valueOrZero("warmline_recording_seconds_written_total"));
        assertEquals(1, e.valueOrZero("warmline_recording_stopped_total", "reason", "write-error"));
        assertEquals(0, e.valueOrZero("warmline_recording_queued"));
    }

    @Test
    void sipLaneDropsAreOneCounterWithAReasonAndEachLaneHasItsDepth() throws Exception {
        io.warmline.sip.UdpLaneStats[] now = {new io.warmline.sip.UdpLaneStats(7, 3, 1000, 950, List.of(0, 12, 0, 5), 4000,
                2_500_000_000L, 2, 350_000_000L)};
        metrics.bindSipLanes(() -> now[0], 4);
        Exposition e = scrape();
        assertEquals("counter", e.type("warmline_sip_udp_datagrams_dropped_total"));
        assertEquals(7, e.valueOrZero("warmline_sip_udp_datagrams_dropped_total", "reason", "lane-full"));
        assertEquals(3, e.valueOrZero("warmline_sip_udp_datagrams_dropped_total", "reason", "stale"));
        assertEquals("gauge", e.type("warmline_sip_udp_lane_depth"));
        assertEquals(0, e.value("warmline_sip_udp_lane_depth", "lane", "0").orElseThrow());
        assertEquals(12, e.value("warmline_sip_udp_lane_depth", "lane", "1").orElseThrow());
        assertEquals(5, e.value("warmline_sip_udp_lane_depth", "lane", "3").orElseThrow());
        assertTrue(e.value("warmline_sip_udp_lane_depth", "lane", "4").isEmpty(), "only the lanes there are");
        assertEquals(950, e.valueOrZero("warmline_sip_udp_lane_depth_peak"));
        assertEquals(1000, e.valueOrZero("warmline_sip_udp_lane_capacity"));
        assertEquals(4000, e.valueOrZero("warmline_sip_udp_datagrams_processed_total"));
        assertEquals(2.5, e.valueOrZero("warmline_sip_udp_worker_busy_seconds_total"), 1e-9);
        assertEquals(2, e.valueOrZero("warmline_sip_udp_datagrams_slow_total"));
        assertEquals(0.35, e.valueOrZero("warmline_sip_udp_datagram_processing_max_seconds"), 1e-9);
        now[0] = new io.warmline.sip.UdpLaneStats(9, 3, 1000, 1000, List.of(1, 0, 0, 0), 4100,
                2_600_000_000L, 2, 350_000_000L);
        e = scrape();
        assertEquals(9, e.valueOrZero("warmline_sip_udp_datagrams_dropped_total", "reason", "lane-full"));
        assertEquals(1, e.value("warmline_sip_udp_lane_depth", "lane", "0").orElseThrow());
        assertEquals(0, e.value("warmline_sip_udp_lane_depth", "lane", "1").orElseThrow());
        assertEquals(1000, e.valueOrZero("warmline_sip_udp_lane_depth_peak"));
        assertEquals(2.6, e.valueOrZero("warmline_sip_udp_worker_busy_seconds_total"), 1e-9);
    }
}
