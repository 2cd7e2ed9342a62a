package io.warmline.media.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.warmline.media.codec.G711;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.opus.OpusBandwidth;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusVoiceEncoder;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.time.ManualClock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * CPU time of one WebRTC leg bridged to one PCMU leg, per 20 ms tick, in process: a {@link MediaBridge} at 16 kHz
 * (as conversations run) on an embedded loop with a fake clock; each tick both far ends deliver one pre-encoded
 * packet (so their encoders are not counted) and the bridge decodes, mixes, encodes and packetizes both ways. No
 * sockets and no SRTP. Four cases, interleaved round by round so that the machine's other load hits them alike:
 * the browser sending fullband (what libwebrtc sends uncapped: 48 kHz, 32 kbit/s) or wideband (what it sends when
 * answered with {@code maxplaybackrate=16000}: SILK, 20 kbit/s), and the leg coded wideband (forced by a silent
 * wideband source it hears: the encode before narrowing) or narrowband (it hears only the PCMU leg).
 * Not a test: run its main with the test classpath ({@code ticks rounds}, default 3000 3).
 */
public final class BridgedLegCost {

    private static final int PACKETS = 250;
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private BridgedLegCost() {
    }

    public static void main(String[] args) {
        int ticks = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        byte[][] fullband = browser(new OpusConfig(48000, 20, 32000, 9, true, 0, false, OpusBandwidth.FULLBAND));
        byte[][] wideband = browser(new OpusConfig(16000, 20, 20000, 9, true, 0, false, OpusBandwidth.WIDEBAND));
        byte[][] phone = phone();
        String[] names = {"fullband in, wideband out (before)", "wideband in, wideband out",
            "fullband in, narrowband out", "wideband in, narrowband out (after)"};
        double[][] us = new double[4][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < 4; c++) {
                us[c][r] = run(c == 0 || c == 2 ? fullband : wideband, phone, c < 2, ticks);
            }
        }
        for (int c = 0; c < 4; c++) {
            double[] v = us[c].clone();
            Arrays.sort(v);
            System.out.printf("%-38s median %6.1f us CPU per tick (rounds %s)%n", names[c], v[v.length / 2],
                    Arrays.toString(Arrays.stream(us[c]).map(x -> Math.round(x * 10) / 10.0).toArray()));
        }
    }

    /** CPU microseconds per tick over {@code ticks} ticks, after as many unmeasured. */
    private static double run(byte[][] browserPackets, byte[][] phonePackets, boolean forceWideband, int ticks) {
        EmbeddedChannel channel = new EmbeddedChannel();
        ManualClock clock = new ManualClock(1_000_000_000L);
        MediaBridge bridge = MediaBridge.start(channel.eventLoop(), clock, 16000);
        try {
            FakeEndpoint web = new FakeEndpoint(channel.eventLoop(), 1);
            FakeEndpoint sip = new FakeEndpoint(channel.eventLoop(), 2);
            web.keep = false;
            sip.keep = false;
            bridge.addLeg("web", web, LegCodec.opus(111, 126, OpusConfig.wideband()));
            bridge.addLeg("sip", sip, LegCodec.pcmu(101));
            HearingMatrix.Builder m = HearingMatrix.builder().conference("web", "sip");
            if (forceWideband) {
                bridge.addSource("wide", new SilentWideband());
                m.hears("web", "wide");
            }
            bridge.setMatrix(m.build());
            long t0 = 0;
            for (int i = 0; i < 2 * ticks; i++) {
                if (i == ticks) {
                    t0 = MX.getCurrentThreadCpuTime();
                }
                web.deliver(packet(111, i, 960, browserPackets[i % PACKETS]));
                sip.deliver(packet(0, i, 160, phonePackets[i % PACKETS]));
                bridge.runDueTicks();
                clock.advanceMillis(20);
            }
            return (MX.getCurrentThreadCpuTime() - t0) / 1e3 / ticks;
        } finally {
            bridge.close();
            channel.finishAndReleaseAll();
        }
    }

    private static ByteBuf packet(int pt, int i, int step, byte[] payload) {
        ByteBuf b = ByteBufAllocator.DEFAULT.buffer(RtpHeader.FIXED_HEADER_LENGTH + payload.length);
        RtpHeader.writeHeader(b, pt, false, i & 0xFFFF, (long) i * step & 0xFFFFFFFFL, pt == 0 ? 2 : 1);
        b.writeBytes(payload);
        return b;
    }

    /** A voice-like test signal: a gliding harmonic tone, syllable-rate envelope, a little noise. */
    private static short[] voice(int rate, int samples) {
        short[] s = new short[samples];
        SplittableRandom random = new SplittableRandom(7);
        double phase = 0;
        for (int n = 0; n < samples; n++) {
            double t = (double) n / rate;
            double f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / rate;
            double v = 0;
            for (int h = 1; h <= 20 && h * f0 < rate / 2.0; h++) {
                v += Math.sin(h * phase) / h;
            }
            double envelope = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
            s[n] = (short) (6000 * envelope * v + 300 * (random.nextDouble() - 0.5));
        }
        return s;
    }

    private static byte[][] browser(OpusConfig config) {
        OpusVoiceEncoder e = new OpusVoiceEncoder(config);
        short[] pcm = voice(config.sampleRate(), config.frameSamples() * PACKETS);
        byte[][] out = new byte[PACKETS][];
        byte[] buf = new byte[OpusVoiceEncoder.MAX_PACKET_BYTES];
        for (int i = 0; i < PACKETS; i++) {
            int n = e.encode(pcm, i * config.frameSamples(), buf, 0, buf.length);
            out[i] = Arrays.copyOf(buf, n);
        }
        return out;
    }

    private static byte[][] phone() {
        short[] pcm = voice(8000, 160 * PACKETS);
        byte[][] out = new byte[PACKETS][160];
        for (int i = 0; i < PACKETS; i++) {
            G711.encodeUlaw(pcm, i * 160, 160, out[i], 0);
        }
        return out;
    }

}
