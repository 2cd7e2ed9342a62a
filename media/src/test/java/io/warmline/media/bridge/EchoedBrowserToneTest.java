package io.warmline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusPackets;
import io.warmline.media.opus.OpusVoiceDecoder;
import io.warmline.media.rtp.RtpHeader;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WebRTC load run's path in process: a browser leg (Opus as the node answers a browser: 16 kHz input, no band cap,
 * FEC allowed) bridged to a PCMU leg whose far end echoes every packet back (SIPp {@code -rtp_echo}), so the browser
 * hears its own tone after Opus decode → mix → PCMU → echo → PCMU decode → mix → Opus encode. Decoded with a real
 * Opus decoder at 48 kHz and judged as the load client judges each 10 ms frame (audible, and most of its power at the
 * tone), with the encoder's input rate, the encodes and the RTP timeline checked every tick.
 */
@ExtendWith(LeakCheck.class)
class EchoedBrowserToneTest {

    private static final double TONE_HZ = 700;
    private static final double AMPLITUDE = 6000;
    /** The load client's thresholds (ToneFrames in module webrtc): about -45 dBFS, half the power at the tone. */
    private static final double AUDIBLE_MEAN_SQUARE = 1e5;
    private static final double TONE_SHARE = 0.5;

    @RegisterExtension
    final EmbeddedBridgeLoop fixture = new EmbeddedBridgeLoop();
    private final EventLoop loop = fixture.loop();
    private final ManualClock clock = fixture.clock();
    private MediaBridge bridge;

    @Test
    void aBrowserHearsItsOwnToneBackThroughAnEchoingPcmuLegEveryFrameAtOneRateAndOneEncodePerTick() {
        bridge = fixture.start(16000);
        LegCodec opus = LegCodec.opus(111, -1, new OpusConfig(16000, 20, 28000, 2, true, 5, false));
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint web = new FakeEndpoint(loop, 2);
        FakeEndpoint phone = new FakeEndpoint(loop, 1);
        BridgeLeg webLeg = bridge.addLeg("web", web, opus);
        BridgeLeg phoneLeg = bridge.addLeg("phone", phone, pcmu);
        bridge.setMatrix(HearingMatrix.builder().conference("web", "phone").build());
        Talker browser = Talker.tone(opus, 7, TONE_HZ, AMPLITUDE);

        int ticks = 250;
        List<Integer> inputRates = new ArrayList<>();
        int echoed = 0;
        for (int t = 0; t < ticks; t++) {
            web.deliver(browser.next());
            bridge.runDueTicks();
            inputRates.add(webLeg.sender.pcmRate());
            // the far end sends each packet straight back, before the next tick
            for (; echoed < phone.sent.size(); echoed++) {
                phone.deliver(echo(phone.sent.get(echoed)));
            }
            clock.advanceMillis(20);
        }

        // one rate for the whole call: the group sums at 8 kHz and the 8 kHz input is coded as it is
        assertTrue(inputRates.stream().allMatch(r -> r == 8000), "encoder input rate per tick: " + inputRates);
        assertEquals(0, webLeg.sender.encoderSwitches, "no encoder reset and primed");
        BridgeStats stats = bridge.stats();
        assertEquals(ticks, stats.ticks());
        assertEquals(0, stats.skippedTicks());
        assertEquals(2L * ticks, stats.framesDue());
        assertEquals(2L * ticks, stats.encodes(), "one encode per leg per tick");
        assertEquals(ticks, webLeg.stats().framesDue());
        assertEquals(ticks, phoneLeg.stats().framesDue());
        assertEquals(ticks, webLeg.stats().narrowbandFrames());

        // one packet per tick, on one timeline: sequence +1, timestamp +960 (48 kHz clock, RFC 7587 §4.1)
        List<FakeEndpoint.Sent> sent = web.sentOfType(111);
        assertEquals(ticks, sent.size());
        for (int i = 1; i < sent.size(); i++) {
            assertEquals((sent.get(i - 1).sequence() + 1) & 0xFFFF, sent.get(i).sequence(), "sequence at " + i);
            assertEquals((sent.get(i - 1).timestamp() + 960) & 0xFFFFFFFFL, sent.get(i).timestamp(), "timestamp at " + i);
            assertEquals(8000, OpusPackets.audioRate(sent.get(i).payload(), 0, sent.get(i).payload().length));
        }

        // what the browser plays, 10 ms at a time: once its tone is back, every frame carries it
        short[] pcm = decode(sent);
        int frames = ticks * 2;
        int first = -1;
        List<Integer> missing = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            boolean tone = carriesTone(pcm, f * 480, 480);
            if (tone && first < 0) {
                first = f;
            } else if (!tone && first >= 0) {
                missing.add(f);
            }
        }
        // round trip: the browser leg's jitter buffer, the PCMU leg's, and both codecs' delays
        assertTrue(first >= 0 && first < 30, "tone back within 300 ms: first at frame " + first);
        assertTrue(missing.isEmpty(), "10 ms frames without the tone after it came back: " + missing);
        assertEquals(0, webLeg.stats().concealedFrames());
        assertEquals(0, phoneLeg.stats().concealedFrames());
    }

    @Test
    void theToneStaysWhenTheBrowserStopsHearingAWidebandSourceAndItsEncoderSwitchesOnceTo8kHzInput() {
        bridge = fixture.start(16000);
        LegCodec opus = LegCodec.opus(111, -1, new OpusConfig(16000, 20, 28000, 2, true, 5, false));
        LegCodec pcmu = LegCodec.pcmu(-1);
        FakeEndpoint web = new FakeEndpoint(loop, 2);
        FakeEndpoint phone = new FakeEndpoint(loop, 1);
        BridgeLeg webLeg = bridge.addLeg("web", web, opus);
        bridge.addLeg("phone", phone, pcmu);
        // a wideband source first (as the conversation's comfort tone while a line is navigated), then the call only
        bridge.addSource("wide", new SilentWideband());
        bridge.setMatrix(HearingMatrix.builder().conference("web", "phone").hears("web", "wide").build());
        Talker browser = Talker.tone(opus, 7, TONE_HZ, AMPLITUDE);

        int ticks = 600;
        List<Integer> inputRates = new ArrayList<>();
        int echoed = 0;
        for (int t = 0; t < ticks; t++) {
            if (t == 100) {
                bridge.setMatrix(HearingMatrix.builder().conference("web", "phone").build());
            }
            web.deliver(browser.next());
            bridge.runDueTicks();
            inputRates.add(webLeg.sender.pcmRate());
            for (; echoed < phone.sent.size(); echoed++) {
                phone.deliver(echo(phone.sent.get(echoed)));
            }
            clock.advanceMillis(20);
        }

        // 16 kHz while the wideband source is heard and while that encoder narrows within its stream, then 8 kHz
        // for good: one switch, so one priming
        int switches = 0;
        for (int i = 1; i < ticks; i++) {
            switches += inputRates.get(i).equals(inputRates.get(i - 1)) ? 0 : 1;
        }
        assertEquals(16000, inputRates.get(0));
        assertEquals(8000, inputRates.get(ticks - 1));
        assertEquals(1, switches, "encoder input rate per tick: " + inputRates);
        assertEquals(1, webLeg.sender.encoderSwitches, "one encoder reset and primed, once");
        assertEquals(ticks, bridge.stats().ticks());
        assertEquals(2L * ticks, bridge.stats().encodes(), "one encode per leg per tick");
        List<FakeEndpoint.Sent> sent = web.sentOfType(111);
        assertEquals(ticks, sent.size());
        for (int i = 1; i < sent.size(); i++) {
            assertEquals((sent.get(i - 1).sequence() + 1) & 0xFFFF, sent.get(i).sequence(), "sequence at " + i);
            assertEquals((sent.get(i - 1).timestamp() + 960) & 0xFFFFFFFFL, sent.get(i).timestamp(), "timestamp at " + i);
        }
        short[] pcm = decode(sent);
        int first = -1;
        List<Integer> missing = new ArrayList<>();
        for (int f = 0; f < ticks * 2; f++) {
            boolean tone = carriesTone(pcm, f * 480, 480);
            if (tone && first < 0) {
                first = f;
            } else if (!tone && first >= 0) {
                missing.add(f);
            }
        }
        assertTrue(first >= 0 && first < 30, "tone back within 300 ms: first at frame " + first);
        assertTrue(missing.isEmpty(), "10 ms frames without the tone after it came back: " + missing);
    }

    private static short[] decode(List<FakeEndpoint.Sent> sent) {
        OpusVoiceDecoder decoder = new OpusVoiceDecoder(48000);
        short[] pcm = new short[sent.size() * 960];
        for (int i = 0; i < sent.size(); i++) {
            byte[] p = sent.get(i).payload();
            assertEquals(960, decoder.decode(p, 0, p.length, pcm, i * 960, 960));
        }
        return pcm;
    }

    private static ByteBuf echo(FakeEndpoint.Sent s) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(RtpHeader.FIXED_HEADER_LENGTH + s.payload().length);
        RtpHeader.writeHeader(buf, s.payloadType(), s.marker(), s.sequence(), s.timestamp(), s.ssrc());
        buf.writeBytes(s.payload());
        return buf;
    }

    /** The load client's judgement of one 10 ms frame at 48 kHz (Goertzel power at the tone over the frame's). */
    private static boolean carriesTone(short[] pcm, int offset, int n) {
        double coefficient = 2 * Math.cos(2 * Math.PI * TONE_HZ / 48000);
        double s1 = 0;
        double s2 = 0;
        double energy = 0;
        for (int i = offset; i < offset + n; i++) {
            double s0 = pcm[i] + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
            energy += (double) pcm[i] * pcm[i];
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return energy / n > AUDIBLE_MEAN_SQUARE && 2 * power / (n * energy) > TONE_SHARE;
    }
}
