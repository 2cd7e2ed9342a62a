package io.warmline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.warmline.media.mix.HearingMatrix;
import io.warmline.media.opus.OpusConfig;
import io.warmline.media.transport.LeakCheck;
import io.warmline.media.time.ManualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An Opus leg is decoded at the rate its listeners need, and a change of that rate does not click. */
@ExtendWith(LeakCheck.class)
class OpusDecodeRateTest {

    private static final double AMPLITUDE = 8000;

    @RegisterExtension
    final EmbeddedBridgeLoop fixture = new EmbeddedBridgeLoop();
    private final EventLoop loop = fixture.loop();
    private final ManualClock clock = fixture.clock();
    private MediaBridge bridge;

    @Test
    void aBrowserHeardOnlyByAPhoneIsDecodedAt8kHzUntilAWideListenerHearsIt() {
        bridge = fixture.start(16000);
        LegCodec pcmu = LegCodec.pcmu(-1);
        LegCodec opus = LegCodec.opus(111, -1, OpusConfig.wideband());
        FakeEndpoint phone = new FakeEndpoint(loop, 1);
        FakeEndpoint web = new FakeEndpoint(loop, 2);
        BridgeLeg webLeg = bridge.addLeg("web", web, opus);
        BridgeLeg phoneLeg = bridge.addLeg("phone", phone, pcmu);
        HearingMatrix call = HearingMatrix.builder().conference("phone", "web").build();
        bridge.setMatrix(call);
        Talker phoneTalker = Talker.tone(pcmu, 1, 1000, AMPLITUDE);
        Talker webTalker = Talker.tone(opus, 2, 600, AMPLITUDE);
        List<Integer> rates = new ArrayList<>();
        for (int t = 0; t < 150; t++) {
            if (t == 50) {
                // a recorder at the mix rate starts hearing the browser
                bridge.addSink("rec", (pcm, off, len, rate, now) -> { });
                bridge.setMatrix(call.toBuilder().hears("rec", "web", "phone").build());
            } else if (t == 100) {
                bridge.remove("rec");
            }
            phone.deliver(phoneTalker.next());
            web.deliver(webTalker.next());
            bridge.runDueTicks();
            clock.advanceMillis(20);
            rates.add(webLeg.receiver.frameRate);
        }
        assertTrue(rates.subList(1, 50).stream().allMatch(r -> r == 8000),
                "8 kHz while only the phone hears: " + rates);
        assertEquals(16000, (int) rates.get(51), "16 kHz from the tick after the recorder heard it: " + rates);
        assertTrue(rates.subList(51, 100).stream().allMatch(r -> r == 16000), rates.toString());
        assertTrue(rates.subList(102, 150).stream().allMatch(r -> r == 8000), "and back: " + rates);
        assertEquals(2, webLeg.receiver.decoderSwitches);
        assertEquals(0, phoneLeg.receiver.decoderSwitches, "G.711 is always 8 kHz");
        BridgeLegStats s = webLeg.stats();
        assertEquals(s.jitter().played(), s.decodedFrames(),
                "every packet counted once though switch ticks decode twice");
        assertEquals(0, s.concealedFrames());

        // What the phone hears: the browser's tone, with no step above the steady tone's and no dropout at either
        // switch (the 8 kHz group reads the 16 kHz frames converted down: the same delay both ways for the first
        // switch; the second crossfades against a copy 4.2 ms away, see MixRateTest)
        short[] pcm = Listening.decode(phone.sentOfType(0), pcmu);
        int steadyStep = io.warmline.media.mix.Signals.maxStep(pcm, 160 * 20, 160 * 45);
        int step = io.warmline.media.mix.Signals.maxStep(pcm, 160 * 45, 160 * 145);
        assertTrue(step <= 1.25 * steadyStep, "step " + step + " against " + steadyStep);
        double steady = io.warmline.media.mix.Signals.rms(pcm, 160 * 20, 160 * 25);
        for (int i = 160 * 45; i < 160 * 145; i += 20) {
            double db = io.warmline.media.mix.Signals.db(io.warmline.media.mix.Signals.rms(pcm, i, 20) / steady);
            assertTrue(db > -20 && db < 1.5, "block at " + i + " (frame " + i / 160 + "): " + db + " dB");
        }
    }
}
