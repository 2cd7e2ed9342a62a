package io.warmline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.opus.OpusPackets;
import io.warmline.media.opus.OpusVoiceDecoder;
import io.warmline.media.time.ManualClock;
import io.warmline.media.transport.LeakCheck;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An Opus leg codes no wider than what it hears (MixGroup#audioRate), and switching does not click. */
@ExtendWith(LeakCheck.class)
class NarrowbandEncodeTest {

    private static final double AMPLITUDE = 8000;

    @RegisterExtension
    final EmbeddedBridgeLoop fixture = new EmbeddedBridgeLoop();
    private final EventLoop loop = fixture.loop();
    private final ManualClock clock = fixture.clock();
    private MediaBridge bridge;

    private void run(int periods, FakeEndpoint phone, Talker phoneTalker, FakeEndpoint web, Talker webTalker) {
        for (int i = 0; i < periods; i++) {
            phone.deliver(phoneTalker.next());
            web.deliver(webTalker.next());
            bridge.runDueTicks();
            clock.advanceMillis(20);
        }
    }

    @Test
    void aBrowserHearingOnlyThePhoneIsCodedNarrowbandUntilAWidebandSourceIsHeard() {
        bridge = fixture.start(16000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        LegCodec opus = LegCodec.opus(111, -1, OpusConfig.wideband());
        FakeEndpoint phone = new FakeEndpoint(loop, 1);
        FakeEndpoint web = new FakeEndpoint(loop, 2);
        BridgeLeg webLeg = bridge.addLeg("web", web, opus);
        bridge.addLeg("phone", phone, pcmu);
        bridge.addSource("wide", new SilentWideband());
        HearingMatrix call = HearingMatrix.builder().conference("phone", "web").build();
        bridge.setMatrix(call);
        Talker phoneTalker = Talker.tone(pcmu, 1, 1000, AMPLITUDE);
        Talker webTalker = Talker.tone(opus, 2, 600, AMPLITUDE);
        // the rate each tick's frame is handed to the encoder at (the hook sees the encoder's input, unchanged)
        List<Integer> inputRates = new java.util.ArrayList<>();
        webLeg.setOutboundAudio((pcm, offset, length, rate, now) -> inputRates.add(length == rate / 50 ? rate : -1));

        run(50, phone, phoneTalker, web, webTalker);
        assertTrue(bands(web).stream().allMatch(b -> b == 8000), "narrowband from the first packet: " + bands(web));
        assertEquals(50, webLeg.stats().narrowbandFrames());
        assertTrue(inputRates.stream().allMatch(r -> r == 8000), "an 8 kHz group feeds 8 kHz input: " + inputRates);

        bridge.setMatrix(HearingMatrix.builder().conference("phone", "web").hears("web", "wide").build());
        run(50, phone, phoneTalker, web, webTalker);
        List<Integer> widened = bands(web).subList(50, 100);
        int firstWide = widened.indexOf(16000);
        assertTrue(firstWide >= 0 && firstWide < 40, "wideband within 0.8 s: " + widened);
        assertTrue(widened.subList(firstWide, 50).stream().allMatch(b -> b == 16000), "and it stays: " + widened);
        assertTrue(webLeg.stats().narrowbandFrames() <= 51);
        assertTrue(inputRates.subList(50, 100).stream().allMatch(r -> r == 16000), "16 kHz input: " + inputRates);

        bridge.setMatrix(call);
        run(500, phone, phoneTalker, web, webTalker);
        List<Integer> narrowed = bands(web).subList(100, 600);
        int firstNarrow = narrowed.indexOf(8000);
        assertTrue(firstNarrow >= 0, "narrowband again within 10 s");
        assertTrue(narrowed.subList(firstNarrow, 500).stream().allMatch(b -> b == 8000), "and it stays: " + narrowed);
        // the 16 kHz encoder narrows within its stream first; once it codes narrowband the 8 kHz one takes over
        int first8k = inputRates.subList(100, 600).indexOf(8000);
        assertTrue(first8k > 0 && first8k <= firstNarrow + 1, "8 kHz input after narrowing: " + first8k);
        assertTrue(inputRates.subList(100 + first8k, 600).stream().allMatch(r -> r == 8000), "and it stays");

        // What the browser hears: the phone's 1 kHz tone with no dropout or spike at either switch. SILK codes a pure
        // tone with a level that wobbles by a few dB (most during the narrowing transition), so the bounds are a
        // dropout (under -9 dB for 2.5 ms) and a spike (over +3.5 dB, or a sample 40 % above the tone's peak).
        short[] pcm = decode(web);
        int block = 40; // 2.5 ms at 16 kHz
        double[] rms = new double[pcm.length / block];
        for (int b = 0; b < rms.length; b++) {
            double sum = 0;
            for (int i = b * block; i < (b + 1) * block; i++) {
                sum += (double) pcm[i] * pcm[i];
            }
            rms[b] = Math.sqrt(sum / block);
        }
        double steady = AMPLITUDE / Math.sqrt(2);
        int settled = 8 * 20 / 2; // skip the first 20 frames: jitter buffer and codec start
        for (int b = 8 * 20; b < rms.length; b++) {
            assertTrue(rms[b] > 0.35 * steady && rms[b] < 1.5 * steady,
                    "block " + b + " (frame " + b / 8 + ") at " + Math.round(rms[b]) + ", steady " + Math.round(steady));
        }
        for (int i = settled * block; i < pcm.length; i++) {
            assertTrue(Math.abs(pcm[i]) < 1.4 * AMPLITUDE, "sample " + i + " is " + pcm[i]);
        }
    }

    @Test
    void aSipOpusLegAlreadyNarrowbandStaysSoAndG711LegsDeclareTelephoneBand() {
        bridge = fixture.start(8000);
        LegCodec pcma = LegCodec.pcma(-1);
        LegCodec opus = LegCodec.opus(96, -1, OpusConfig.telephoneBand());
        FakeEndpoint phone = new FakeEndpoint(loop, 1);
        FakeEndpoint line = new FakeEndpoint(loop, 2);
        bridge.addLeg("phone", phone, pcma);
        BridgeLeg lineLeg = bridge.addLeg("line", line, opus);
        bridge.setMatrix(HearingMatrix.builder().conference("phone", "line").build());
        run(30, phone, Talker.tone(pcma, 1, 700, AMPLITUDE), line, Talker.tone(opus, 2, 500, AMPLITUDE));
        assertTrue(bands(line).stream().allMatch(b -> b == 8000), bands(line).toString());
        assertEquals(30, lineLeg.stats().narrowbandFrames());
    }

    private static List<Integer> bands(FakeEndpoint endpoint) {
        return endpoint.sentOfType(111).isEmpty()
                ? endpoint.sentOfType(96).stream().map(s -> OpusPackets.audioRate(s.payload(), 0, s.payload().length))
                        .toList()
                : endpoint.sentOfType(111).stream().map(s -> OpusPackets.audioRate(s.payload(), 0, s.payload().length))
                        .toList();
    }

    private static short[] decode(FakeEndpoint endpoint) {
        List<FakeEndpoint.Sent> sent = endpoint.sentOfType(111);
        OpusVoiceDecoder decoder = new OpusVoiceDecoder(16000);
        short[] pcm = new short[sent.size() * 320];
        for (int i = 0; i < sent.size(); i++) {
            byte[] p = sent.get(i).payload();
            decoder.decode(p, 0, p.length, pcm, i * 320, 320);
        }
        return pcm;
    }
}
