package io.warmline.bridge.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.ivr.ExecutorOutput;
import io.warmline.dtmf.leg.DialRejectedException;
import io.warmline.dtmf.leg.DigitHeard;
import io.warmline.dtmf.leg.LegDtmfSettings;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.RtpEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A conversation leg's DTMF channel over a real {@link MediaBridge}, stepped through fake time. */
class LegKeysTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EventLoop loop = channel.eventLoop();
    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final List<String> events = new ArrayList<>();
    private final List<DtmfInfo> infos = new ArrayList<>();
    private final DtmfEvents recorder = new DtmfEvents() {
        @Override
        public void heard(String conversation, DigitHeard heard) {
            events.add("heard " + conversation + " " + heard.legId() + " " + heard.digit().symbol() + " "
                    + heard.source());
        }

        @Override
        public void sent(String conversation, String leg, DtmfMode mode, ExecutorOutput.SendDigit key) {
            events.add("sent " + conversation + " " + leg + " " + key.digit().symbol() + " " + mode);
        }

        @Override
        public void ended(String conversation, String leg, String tag, ExecutorOutput.Done done) {
            events.add("ended " + conversation + " " + leg + " " + tag + " " + done.outcome());
        }
    };
    private MediaBridge bridge;

    @AfterEach
    void tearDown() {
        if (bridge != null) {
            bridge.close();
        }
        channel.finishAndReleaseAll();
    }

    private LegKeys open(DtmfMode mode, int telephoneEventPt) {
        channel.freezeTime();
        bridge = MediaBridge.start(loop, clock, 8000);
        BridgeLeg leg = bridge.addLeg("sip-e1", new Silent(loop), LegCodec.pcmu(telephoneEventPt));
        LegKeys keys = new LegKeys("conv-9", "sip-e1", leg, LegDtmfSettings.STANDARD.withMode(mode), infos::add, true,
                recorder, loop, clock);
        run(20);
        return keys;
    }

    private void run(int millis) {
        for (int t = 0; t < millis; t += 20) {
            clock.advanceMillis(20);
            channel.advanceTimeBy(20, TimeUnit.MILLISECONDS);
            channel.runPendingTasks();
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void infoModeSendsEachKeyAsInfoInOrderAndHearsAnInfoOnce() throws Exception {
        LegKeys keys = open(DtmfMode.INFO, -1);
        keys.dialer().press("1 w #");
        run(1500);
        assertEquals(List.of(new DtmfInfo(DtmfDigit.D1, 100), new DtmfInfo(DtmfDigit.POUND, 100)), infos);

        keys.dtmf().onInfo(new DtmfInfo(DtmfDigit.D7, 160), clock.nanoTime());
        run(500);
        assertEquals(List.of("sent conv-9 sip-e1 1 INFO", "sent conv-9 sip-e1 # INFO", "ended conv-9 sip-e1 api DONE",
                "heard conv-9 sip-e1 7 INFO"), events);
        assertEquals(1, keys.heardCount());
    }

    @Test
    void voiceActivityRunsOnlyWhileKeysAreBeingPressed() throws Exception {
        LegKeys keys = open(DtmfMode.INFO, -1);
        run(500);
        assertFalse(keys.vadRunning(), "no sequence: no voice activity detection");
        keys.dialer().press("1 w #");
        run(200);
        assertTrue(keys.vadRunning(), "a sequence's prompt waits listen to voice activity");
        run(1500);
        assertEquals(2, infos.size());
        run(100);
        assertFalse(keys.vadRunning(), "the sequence is done");
    }

    @Test
    void rfc4733WithoutTelephoneEventRefusesKeysButStillHears() {
        LegKeys keys = open(DtmfMode.RFC4733, -1);
        DialRejectedException e = assertThrows(DialRejectedException.class, () -> keys.dialer().press("1"));
        assertEquals(DialRejectedException.Reason.MODE_UNAVAILABLE, e.reason());
        keys.dtmf().onInfo(new DtmfInfo(DtmfDigit.STAR, 100), clock.nanoTime());
        run(100);
        assertEquals(List.of("heard conv-9 sip-e1 * INFO"), events);
    }

    /** An endpoint that never sends RTP and drops what the bridge sends. */
    private static final class Silent implements RtpEndpoint {
        private final EventLoop loop;

        Silent(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public long localSsrc() {
            return 0x5EED;
        }

        @Override
        public void send(ByteBuf rtpPacket) {
            rtpPacket.release();
        }

        @Override
        public void setListener(Listener listener) {
        }
    }
}
