package io.warmline.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warmline.dtmf.DigitPress;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.ivr.ExecutorOutput;
import io.warmline.dtmf.leg.DigitHeard;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.dtmf.tone.GoertzelDetector;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.LegCodecs;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.codec.G711;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.RtpEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The call's DTMF wiring over a real {@link MediaBridge} with in-memory endpoints, stepped through fake time. */
class CallDtmfTest {
    private static final int TE = 101;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EventLoop loop = channel.eventLoop();
    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final Recorder events = new Recorder();
    private final Endpoint callerEnd = new Endpoint(loop, 0xCA11);
    private final Endpoint calleeEnd = new Endpoint(loop, 0xCA1E);
    private MediaBridge bridge;
    private CallDtmf dtmf;

    @AfterEach
    void tearDown() {
        if (dtmf != null) {
            dtmf.close(clock.nanoTime());
        }
        if (bridge != null) {
            bridge.close();
        }
        channel.finishAndReleaseAll();
    }

    private void open(DtmfMode calleeMode) {
        open(LegCodecs.symmetric(LegCodec.pcma(TE)), calleeMode);
    }

    private void open(LegCodecs callerCodecs, DtmfMode calleeMode) {
        channel.freezeTime();
        bridge = MediaBridge.start(loop, clock, 8000);
        BridgeLeg caller = bridge.addLeg("caller", callerEnd, callerCodecs);
        BridgeLeg callee = bridge.addLeg("callee", calleeEnd, LegCodec.pcma(TE));
        dtmf = new CallDtmf("conv-7", caller, DtmfMode.RFC4733, callee, calleeMode, null, null, events);
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
    void aKeyPressedByTheCallerIsHeardOnceForThisConversationAndGoesNowhere() {
        open(DtmfMode.RFC4733);
        run(40);
        // RFC 4733 §2.5: start (marker), an update, the end packet three times; one timestamp.
        int[][] packets = {{1, 0, 160}, {0, 0, 480}, {0, 1, 800}, {0, 1, 800}, {0, 1, 800}};
        int seq = 100;
        for (int[] p : packets) {
            callerEnd.deliver(event(p[0] == 1, seq++, 48_000, DtmfDigit.D5, p[1] == 1, p[2]));
            run(20);
        }
        run(200);
        assertEquals(1, events.heard.size(), events.heard::toString);
        DigitHeard heard = events.heard.get(0);
        assertEquals("caller", heard.legId());
        assertEquals(DtmfDigit.D5, heard.digit());
        assertEquals(DtmfMode.RFC4733, heard.source());
        assertEquals(List.of("conv-7"), events.conversations);
        assertEquals(0, calleeEnd.sentOfType(TE).size(), "a key heard is never forwarded to the other leg");
    }

    @Test
    void aCallerAgreedOnEventsAtBothClockRatesIsHeardInEachTimedByItsOwnClock() {
        // opus/48000/2 (111), PCMU/8000 (0), telephone-event/48000 (101), telephone-event/8000 (102)
        LegCodec opus = LegCodec.opus(111, TE, OpusConfig.voice(8000));
        open(new LegCodecs(opus, List.of(opus, LegCodec.pcmu(102))), DtmfMode.RFC4733);
        run(40);
        int seq = 100;
        // 100 ms at 8 kHz, then 100 ms at 48 kHz
        for (int[] p : new int[][] {{1, 0, 160}, {0, 0, 480}, {0, 1, 800}, {0, 1, 800}, {0, 1, 800}}) {
            callerEnd.deliver(event(102, p[0] == 1, seq++, 8_000, DtmfDigit.D5, p[1] == 1, p[2]));
            run(20);
        }
        run(300);
        for (int[] p : new int[][] {{1, 0, 960}, {0, 0, 2880}, {0, 1, 4800}, {0, 1, 4800}, {0, 1, 4800}}) {
            callerEnd.deliver(event(TE, p[0] == 1, seq++, 96_000, DtmfDigit.D8, p[1] == 1, p[2]));
            run(20);
        }
        run(200);
        assertEquals(List.of(DtmfDigit.D5, DtmfDigit.D8), events.heard.stream().map(DigitHeard::digit).toList(),
                events.heard::toString);
        assertEquals(List.of(100, 100), events.heard.stream().map(DigitHeard::durationMillis).toList());
    }

    @Test
    void theNavigationPressesTheSequenceOnTheSupportLineAsTelephoneEvents() throws Exception {
        open(DtmfMode.RFC4733);
        dtmf.navigate(DtmfSequence.parse("1 2"), Duration.ofMillis(100), clock.nanoTime());
        run(1000);
        List<ByteBuf> sent = calleeEnd.sentOfType(TE);
        List<Integer> keys = new ArrayList<>();
        int ends = 0;
        for (ByteBuf p : sent) {
            int event = p.getUnsignedByte(12);
            if (keys.isEmpty() || keys.get(keys.size() - 1) != event) {
                keys.add(event);
            }
            ends += (p.getUnsignedByte(13) & 0x80) != 0 ? 1 : 0;
        }
        assertEquals(List.of(1, 2), keys);
        assertEquals(6, ends, "three end packets per key");
        assertEquals(List.of("1", "2"), events.sent);
        assertEquals(List.of(ExecutorOutput.Outcome.DONE), events.outcomes);
        assertEquals(0, callerEnd.sentOfType(TE).size(), "the caller hears none of the navigation's keys");
        assertEquals(List.of(), events.heard, "its own keys are not heard");
    }

    @Test
    void voiceActivityIsAnalysedOnlyWhileTheSupportLineHasASequence() throws Exception {
        open(DtmfMode.RFC4733);
        run(1000);
        assertEquals(0, dtmf.vadFrames(), "no sequence, no voice activity detection");
        dtmf.navigate(DtmfSequence.parse("1"), Duration.ofMillis(100), clock.nanoTime());
        run(1000);
        assertEquals(List.of(ExecutorOutput.Outcome.DONE), events.outcomes);
        long during = dtmf.vadFrames();
        assertTrue(during > 0, "voice activity feeds the running sequence's prompt waits");
        run(1000);
        assertEquals(during, dtmf.vadFrames(), "the sequence is done: no more voice activity detection");
    }

    @Test
    void inbandNavigationWritesTonesIntoTheSupportLinesAudio() throws Exception {
        open(DtmfMode.INBAND);
        dtmf.navigate(DtmfSequence.parse("7 #"), Duration.ZERO, clock.nanoTime());
        run(800);
        GoertzelDetector detector = new GoertzelDetector();
        long t = 0;
        short[] pcm = new short[160];
        for (ByteBuf p : calleeEnd.sentOfType(8)) {
            byte[] payload = new byte[p.readableBytes() - 12];
            p.getBytes(12, payload);
            G711.decodeAlaw(payload, 0, 160, pcm, 0);
            detector.process(pcm, 0, 160, t);
            t += 20_000_000L;
        }
        detector.process(new short[1600], 0, 1600, t);
        List<DtmfDigit> heard = new ArrayList<>();
        for (DigitPress press = detector.poll(); press != null; press = detector.poll()) {
            heard.add(press.digit());
        }
        assertEquals(List.of(DtmfDigit.D7, DtmfDigit.POUND), heard);
        assertEquals(0, calleeEnd.sentOfType(TE).size());
        assertEquals(List.of(ExecutorOutput.Outcome.DONE), events.outcomes);
    }

    @Test
    void aNavigationStillRunningWhenTheCallEndsEndsAsLegEnded() throws Exception {
        open(DtmfMode.RFC4733);
        dtmf.navigate(DtmfSequence.parse("1 W 2"), Duration.ZERO, clock.nanoTime());
        run(300);
        dtmf.close(clock.nanoTime());
        dtmf = null;
        assertEquals(List.of("1"), events.sent);
        assertEquals(List.of(ExecutorOutput.Outcome.LEG_ENDED), events.outcomes);
    }

    private static ByteBuf event(boolean marker, int seq, long ts, DtmfDigit digit, boolean end, int duration) {
        return event(TE, marker, seq, ts, digit, end, duration);
    }

    private static ByteBuf event(int pt, boolean marker, int seq, long ts, DtmfDigit digit, boolean end,
            int duration) {
        ByteBuf b = Unpooled.buffer(16);
        b.writeByte(0x80).writeByte((marker ? 0x80 : 0) | pt).writeShort(seq).writeInt((int) ts).writeInt(0x5151);
        b.writeByte(digit.event()).writeByte((end ? 0x80 : 0) | 10).writeShort(duration);
        return b;
    }

    private static final class Recorder implements CallDtmf.Events {
        final List<DigitHeard> heard = new ArrayList<>();
        final List<String> conversations = new ArrayList<>();
        final List<String> sent = new ArrayList<>();
        final List<ExecutorOutput.Outcome> outcomes = new ArrayList<>();

        @Override
        public void heard(String conversation, DigitHeard h) {
            heard.add(h);
            conversations.add(conversation);
        }

        @Override
        public void sent(String conversation, String leg, DtmfMode mode, ExecutorOutput.SendDigit key) {
            assertEquals("callee", leg);
            sent.add(String.valueOf(key.digit().symbol()));
        }

        @Override
        public void ended(String conversation, String leg, String tag, ExecutorOutput.Done done) {
            outcomes.add(done.outcome());
        }
    }

    /** An in-memory RTP endpoint: keeps copies of what the bridge sends (releasing the originals). */
    private static final class Endpoint implements RtpEndpoint {
        private final EventLoop loop;
        private final long ssrc;
        private final List<ByteBuf> sent = new ArrayList<>();
        private Listener listener;

        Endpoint(EventLoop loop, long ssrc) {
            this.loop = loop;
            this.ssrc = ssrc;
        }

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
            try {
                sent.add(Unpooled.copiedBuffer(rtpPacket));
            } finally {
                rtpPacket.release();
            }
        }

        @Override
        public void setListener(Listener listener) {
            this.listener = listener;
        }

        void deliver(ByteBuf packet) {
            assertTrue(listener != null, "no listener");
            listener.onRtp(this, packet);
        }

        List<ByteBuf> sentOfType(int pt) {
            return sent.stream().filter(b -> (b.getUnsignedByte(1) & 0x7f) == pt).toList();
        }
    }
}
