package io.warmline.dtmf.leg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warmline.dtmf.DtmfDigit;
import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.internal.Audio;
import io.warmline.dtmf.tone.DtmfToneGenerator;
import io.warmline.media.bridge.BridgeLeg;
import io.warmline.media.bridge.BridgeLegStats;
import io.warmline.media.bridge.LegCodec;
import io.warmline.media.bridge.MediaBridge;
import io.warmline.media.codec.G711;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceEncoder;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.RtpEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * In-band keys through a real bridge leg whose loop stalls, in fake time. The far end sends 80 ms keys with 80 ms
 * gaps as audio and loses nothing; every few hundred milliseconds our loop is stuck for 300-600 ms, and the packets
 * that waited meanwhile are read after the overdue ticks (or before them). Playout catches up by skipping most of
 * that backlog, but the leg's decoded tap still sees it, so every key is heard once and in order.
 */
class InBandKeysThroughStallTest {

    private static final String KEYS = "159#2580*3D7A46B";
    private static final int KEY_MILLIS = 80;
    private static final int GAP_MILLIS = 80;
    private static final int[] STALLS_MILLIS = {300, 460, 600, 380, 520};

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EventLoop loop = channel.eventLoop();
    private final ManualClock clock = new ManualClock(3_000_000_000L);
    private final List<DigitHeard> heard = new ArrayList<>();
    private MediaBridge bridge;

    @AfterEach
    void tearDown() {
        if (bridge != null) {
            bridge.close();
        }
        channel.finishAndReleaseAll();
    }

    /** The far end: the key sequence as 8 kHz tones (Q.23 levels), one RTP packet of 20 ms per period. */
    private static final class FarEnd {
        final DtmfToneGenerator tone = new DtmfToneGenerator();
        final boolean opus;
        final OpusVoiceEncoder encoder;
        final byte[] encoded = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        final short[] pcm = new short[160];
        long sample;
        int seq = 0xFFF0;
        long ts = 0x7FFFF000L;
        long noiseSeed;

        FarEnd(boolean opus) {
            this.opus = opus;
            this.encoder = opus ? new OpusVoiceEncoder(OpusConfig.voice(8000)) : null;
        }

        /** The next 20 ms packet (null when the encoder sends nothing for it). */
        ByteBuf next() {
            int period = (KEY_MILLIS + GAP_MILLIS) * 8;
            for (int i = 0; i < pcm.length; i++, sample++) {
                long key = sample / period;
                long within = sample % period;
                pcm[i] = 0;
                if (key < KEYS.length() && within < KEY_MILLIS * 8) {
                    tone.generate(DtmfDigit.fromSymbol(KEYS.charAt((int) key)), pcm, i, 1, within);
                }
            }
            Audio.addNoise(pcm, -50, noiseSeed++);
            ByteBuf buf = Unpooled.buffer(RtpHeader.FIXED_HEADER_LENGTH + 200);
            int payloadType = opus ? 111 : 0;
            RtpHeader.writeHeader(buf, payloadType, seq == 0xFFF0, seq, ts, 0x5151L);
            if (opus) {
                int n = encoder.encode(pcm, 0, encoded, 0, encoded.length);
                buf.writeBytes(encoded, 0, Math.max(n, 0));
            } else {
                byte[] payload = new byte[160];
                G711.encodeUlaw(pcm, 0, 160, payload, 0);
                buf.writeBytes(payload);
            }
            seq = (seq + 1) & 0xFFFF;
            ts = (ts + (opus ? 960 : 160)) & 0xFFFFFFFFL;
            return buf;
        }

        boolean done() {
            return sample >= (long) KEYS.length() * (KEY_MILLIS + GAP_MILLIS) * 8 + 4000;
        }
    }

    /** An endpoint that hands the far end's packets to the leg and drops what the leg sends. */
    private final class Endpoint implements RtpEndpoint {
        Listener listener;

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public long localSsrc() {
            return 0xAL;
        }

        @Override
        public void send(ByteBuf rtpPacket) {
            rtpPacket.release();
        }

        @Override
        public void setListener(Listener listener) {
            this.listener = listener;
        }

        void deliver(ByteBuf packet) {
            listener.onRtp(this, packet);
        }
    }

    private void advance(int millis) {
        clock.advanceMillis(millis);
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
    }

    @ParameterizedTest(name = "{0}, packets read {1} the overdue ticks")
    @CsvSource({"pcmu, after", "pcmu, before", "opus, after", "opus, before"})
    void everyKeyIsHeardOnceInOrderAlthoughTheLoopStalls(String codec, String order) {
        boolean opus = codec.equals("opus");
        boolean packetsFirst = order.equals("before");
        channel.freezeTime();
        bridge = MediaBridge.start(loop, clock, 8000);
        Endpoint endpoint = new Endpoint();
        LegCodec legCodec = opus ? LegCodec.opus(111, -1, OpusConfig.voice(8000)) : LegCodec.pcmu(-1);
        BridgeLeg leg = bridge.addLeg("caller", endpoint, legCodec);
        LegDtmfSettings settings = new LegDtmfSettings(DtmfMode.INFO, LegDtmfSettings.STANDARD.defaults(), 10, true,
                DialLimits.STANDARD);
        LegDtmf dtmf = new LegDtmf("caller", settings, -1, 8000, heard::add, info -> { });
        leg.addDecodedTap(dtmf::onFrame);
        channel.runPendingTasks();

        FarEnd far = new FarEnd(opus);
        int period = 0;
        int stall = 0;
        while (!far.done()) {
            if (period % 10 == 9 && stall < STALLS_MILLIS.length) {
                List<ByteBuf> queued = new ArrayList<>();
                for (int t = 0; t < STALLS_MILLIS[stall]; t += 20) {
                    queued.add(far.next());
                    advance(20);
                }
                stall++;
                if (packetsFirst) {
                    queued.forEach(endpoint::deliver);
                    channel.runScheduledPendingTasks();
                } else {
                    channel.runScheduledPendingTasks();
                    queued.forEach(endpoint::deliver);
                }
            } else {
                endpoint.deliver(far.next());
                channel.runScheduledPendingTasks();
            }
            advance(20);
            period++;
        }
        channel.runScheduledPendingTasks();

        assertEquals(STALLS_MILLIS.length, stall);
        var stats = bridge.stats();
        assertTrue(stats.skippedTicks() > 0, "the loop stalled: " + stats);
        BridgeLegStats legStats = leg.stats();
        assertEquals(0, legStats.jitter().lost(), "nothing lost on the wire");
        assertTrue(legStats.jitter().discarded() + legStats.jitter().late() > 0
                || packetsFirst, "playout dropped part of each backlog: " + legStats.jitter());
        StringBuilder symbols = new StringBuilder();
        heard.forEach(d -> symbols.append(d.digit().symbol()));
        assertEquals(KEYS, symbols.toString(), heard.toString());
        assertTrue(heard.stream().allMatch(d -> d.source() == DtmfMode.INBAND));
    }
}
