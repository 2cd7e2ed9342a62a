package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.codec.G711;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * The terminated media path end to end between real SIPp peers (issue 3): the carrier offers {@code 8 0 101}
 * (PCMA first, then PCMU) and plays {@code g711a.pcap} as PCMA (30 ms packets); the support line is configured with
 * {@code codecs: [opus]} and answers {@code opus/48000/2} only, so the call cannot be relayed and Warmline terminates
 * it: jitter buffer → A-law decode → mix → Opus encode → the support line, which echoes the Opus packets as they are
 * (SIPp {@code -rtp_echo}) → jitter buffer → Opus decode (with its concealment) → mix → µ-law encode → the carrier.
 *
 * <p>The carrier's trunk prefers {@code [PCMU, PCMA]}, so our answer lists both with PCMU first: Warmline sends PCMU
 * (PT 0) and receives the carrier's PCMA (PT 8), one leg with a different codec each way (RFC 3264 §6.1). Both
 * signals are taken from the wire by tshark and decoded here by their RTP timestamps, each by its own law; after
 * finding the round-trip delay the returned audio is compared with what the carrier sent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpusTranscodingPeerTest {
    private static final int PCMU = 0;
    private static final int PCMA = 8;
    private static final int RATE = 8000;
    /** 10 ms envelope frames. */
    private static final int FRAME = 80;
    /** 100 ms windows of the segmental correlation; speech in a window means an RMS of at least -40 dBFS. */
    private static final int WINDOW = 800;
    private static final double ACTIVE_RMS = 328;
    /** How far the delay may move from one window to the next: ±100 ms (a few skipped ticks, a jitter-buffer step). */
    private static final int TRACK = 800;

    /**
     * Floors. Measured on loopback on the 2-core machine: envelope 0.86 and segmental waveform 0.77 when the bridge
     * kept time; 0.42 and 0.44 when other work (load average 20) held its event loop up so that it skipped 36 ticks
     * (0.7 s of audio each way) and the jitter buffer grew to 0.5 s. Two Opus encodes at 8 kHz (SILK narrowband)
     * and two adaptive jitter buffers lie on the path. A relay would give about 1.0 for both; speech compared with
     * unrelated speech or noise stays under 0.3. The strict floors apply when the bridge skipped at most 1 % of its
     * ticks (as Warmline logs); otherwise only the loose ones, which still tell speech from its absence. Until the G.711
     * jitter buffer counted the 10 ms it reads ahead (LegReceiverTest), the carrier's 30 ms packets were concealed
     * every few ticks with nothing lost, and the waveform correlation varied from 0.57 to 0.86 between runs that kept
     * time; with it, 0.74-0.86 on the loaded machine.
     */
    static final double ENVELOPE_FLOOR = 0.65;
    static final double WAVEFORM_FLOOR = 0.60;
    static final double LOOSE_FLOOR = 0.35;
    private static final Pattern TERMINATED = Pattern.compile("Terminated media: ticks (\\d+) late-ticks \\d+ skipped "
            + "(\\d+).*caller in \\d+ lost \\d+ late \\d+ concealed (\\d+).*callee in \\d+ lost \\d+ late \\d+ concealed (\\d+)");

    private PeerNode node;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.startWithTrunkCodecs("OpusTranscodingPeerTest", Duration.ofSeconds(2), "codecs: [opus]",
                "PCMU, PCMA");
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void pcmaInThroughOpusAndBackAsPcmuKeepsTheSpeech(TestInfo test) throws Exception {
        Call call = call(test, PeerEnvironment.pcap(), "conv-pcma");
        List<RtpCapture.Packet> sent = call.fromCarrier.stream().filter(p -> p.payloadType() == PCMA).toList();
        assertTrue(sent.size() >= 200 && sent.size() == call.fromCarrier.size(),
                "Warmline received PT 8: " + call.flows());
        call.assertPcmuBackAndSimilar();
    }

    /**
     * A carrier that switches between PCMA and PCMU every 300 ms without a re-INVITE (both are in the answer, RFC 3264
     * §6.1): each packet is decoded by its own law into one timeline, and what comes back is as close to the original
     * as with PCMA alone.
     */
    @Test
    void aCarrierSwitchingLawsMidCallIsHeardWhole(TestInfo test) throws Exception {
        String dir = test.getTestMethod().orElseThrow().getName();
        Path mixed = PcapFiles.alawToUlaw(PeerEnvironment.pcap(), node.testDir(dir).resolve("g711-switching.pcap"),
                packet -> packet / 10 % 2 == 1);
        Call call = call(test, mixed, "conv-switching");
        long alaw = call.fromCarrier.stream().filter(p -> p.payloadType() == PCMA).count();
        long ulaw = call.fromCarrier.stream().filter(p -> p.payloadType() == PCMU).count();
        assertTrue(alaw >= 100 && ulaw >= 100 && alaw + ulaw == call.fromCarrier.size(),
                "Warmline received both laws: PCMA " + alaw + ", PCMU " + ulaw + "; " + call.flows());
        call.assertPcmuBackAndSimilar();
    }

    /** One call of the carrier playing {@code pcap} through the Opus support line; what tshark saw of it. */
    private Call call(TestInfo test, Path pcap, String conv) throws Exception {
        String dir = test.getTestMethod().orElseThrow().getName();
        RtpCapture rtp;
        try (Tshark capture = Tshark.start(node.testDir(dir), "rtp", Duration.ofSeconds(40), node.uacMediaPort,
                node.uasMediaPort);
             Sipp.Running uas = node.uas(dir, "uas-echo-opus.xml").start().awaitListening()) {
            // uac-pcap.xml offers "8 0 101" by default
            Sipp.Result uac = node.uac(dir, "uac-pcap.xml", "1000").key("pcap", pcap.toString()).set("conv", conv)
                    .pause(Duration.ofMillis(8000)).run();
            assertCallSucceeded(uac, uas.await());
            rtp = capture.stopAndReadRtp(101, node.uacMediaPort, node.uasMediaPort);
        }
        String tag = "[conv=" + conv + "]";
        assertTrue(node.process.output().await(l -> l.contains(tag) && l.contains("Terminated media:"),
                Duration.ofSeconds(5)), "the call was not terminated:\n" + node.process.output().tail(30));
        assertTrue(node.process.output().lines().stream().anyMatch(l -> l.contains(tag) && l.contains(
                "Terminating the call's media: caller sends PCMU/0, receives PCMU/0 PCMA/8")),
                "the carrier's leg sends PCMU and receives both laws:\n" + node.process.output().tail(30));
        Matcher timing = node.process.output().lines().stream().filter(l -> l.contains(tag))
                .map(TERMINATED::matcher).filter(Matcher::find).findFirst().orElseThrow();
        return new Call(rtp.packets(p -> p.srcPort() == node.uacMediaPort),
                rtp.packets(p -> p.dstPort() == node.uacMediaPort), rtp.packets(p -> p.dstPort() == node.uasMediaPort),
                rtp.packets(p -> p.srcPort() == node.uasMediaPort), Long.parseLong(timing.group(1)),
                Long.parseLong(timing.group(2)), Long.parseLong(timing.group(3)) + Long.parseLong(timing.group(4)),
                timing.group());
    }

    private record Call(List<RtpCapture.Packet> fromCarrier, List<RtpCapture.Packet> toCarrier,
            List<RtpCapture.Packet> opusOut, List<RtpCapture.Packet> opusBack, long ticks, long skipped,
            long concealed, String bridgeLine) {

        String flows() {
            return "carrier->W " + fromCarrier.size() + ", W->carrier " + toCarrier.size() + " (PCMU "
                    + toCarrier.stream().filter(p -> p.payloadType() == PCMU).count() + "), W->support "
                    + opusOut.size() + ", support->W " + opusBack.size();
        }

        /** Warmline sent the carrier PCMU only, Opus went both ways on the support leg, and the speech survived. */
        void assertPcmuBackAndSimilar() {
            boolean onTime = skipped * 100 <= ticks + skipped;
            assertTrue(toCarrier.size() >= 300 && toCarrier.stream().allMatch(p -> p.payloadType() == PCMU),
                    "Warmline sent PT 0 only: " + flows());
            assertTrue(opusOut.size() >= 300 && opusBack.size() >= 300, flows());
            int opusPt = opusOut.get(0).payloadType();
            assertTrue(opusPt >= 96 && opusOut.stream().allMatch(p -> p.payloadType() == opusPt)
                    && opusBack.stream().allMatch(p -> p.payloadType() == opusPt), "Opus both ways on the support leg");
            assertTrue(opusOut.stream().mapToInt(p -> p.payload().length).max().orElse(0) < 160,
                    "the support leg carries Opus frames, not G.711");

            // Each stream is laid out by its RTP timestamps, from the capture time of its first packet on one axis.
            double t0 = fromCarrier.get(0).time();
            short[] original = decode(fromCarrier, 0);
            short[] returned = decode(toCarrier, (int) Math.round((toCarrier.get(0).time() - t0) * RATE));
            Similarity s = compare(original, returned);
            String report = "round trip " + s.lagSamples * 1000 / RATE + " ms, envelope correlation "
                    + String.format("%.3f", s.envelope) + ", segmental waveform correlation "
                    + String.format("%.3f", s.waveform) + " over " + s.windows + " windows of speech; bridge skipped "
                    + skipped + " of " + (ticks + skipped) + " ticks; " + flows() + "; " + bridgeLine;
            System.out.println("OpusTranscodingPeerTest: " + report);
            assertTrue(s.windows >= 30, report);
            assertTrue(s.envelope >= (onTime ? ENVELOPE_FLOOR : LOOSE_FLOOR), report);
            assertTrue(s.waveform >= (onTime ? WAVEFORM_FLOOR : LOOSE_FLOOR), report);
        }
    }

    /**
     * G.711 packets, each decoded by its payload type (8 A-law, 0 µ-law), placed by RTP timestamp (gaps stay silent),
     * as a receiver would play them, the first one at sample {@code start} (negative: samples before 0 are dropped).
     */
    static short[] decode(List<RtpCapture.Packet> packets, int start) {
        long first = packets.get(0).timestamp();
        long end = 0;
        for (RtpCapture.Packet p : packets) {
            end = Math.max(end, start + ((p.timestamp() - first) & 0xFFFFFFFFL) + p.payload().length);
        }
        short[] out = new short[(int) Math.max(0, Math.min(end, 60L * RATE))];
        for (RtpCapture.Packet p : packets) {
            long at = start + ((p.timestamp() - first) & 0xFFFFFFFFL);
            byte[] b = p.payload();
            for (int i = 0; i < b.length && at + i < out.length; i++) {
                if (at + i >= 0) {
                    out[(int) at + i] = p.payloadType() == PCMA ? G711.alawToLinear(b[i]) : G711.ulawToLinear(b[i]);
                }
            }
        }
        return out;
    }

    record Similarity(int lagSamples, double envelope, double waveform, int windows) {}

    /**
     * How closely {@code returned} follows {@code original} after the round trip: the envelope correlation (10 ms RMS
     * frames) at the best single delay (0..1 s), and the segmental waveform correlation: for each 100 ms window of
     * the original with speech in it, the best normalised correlation with the returned audio at a delay tracked
     * within ±100 ms of the previous window's (the jitter buffers adapt their delay during the call, so no single
     * delay fits the whole call), averaged with the windows' energies as weights.
     */
    static Similarity compare(short[] original, short[] returned) {
        double[] eo = envelope(original);
        double[] er = envelope(returned);
        int bestFrames = 0;
        double bestEnv = -2;
        for (int lag = 0; lag <= 100 && lag < er.length; lag++) {
            double c = TestAudio.correlation(eo, 0, er, lag, Math.min(eo.length, er.length - lag));
            if (c > bestEnv) {
                bestEnv = c;
                bestFrames = lag;
            }
        }
        double[] o = toDouble(original);
        double[] r = toDouble(returned);
        int lag = bestFrames * FRAME;
        double weighted = 0;
        double energy = 0;
        int windows = 0;
        for (int w = 0; w + WINDOW <= o.length; w += WINDOW) {
            double e = 0;
            for (int i = w; i < w + WINDOW; i++) {
                e += o[i] * o[i];
            }
            if (Math.sqrt(e / WINDOW) < ACTIVE_RMS) {
                continue;
            }
            double best = -2;
            int bestLag = lag;
            for (int l = Math.max(0, lag - TRACK); l <= lag + TRACK && w + l + WINDOW <= r.length; l++) {
                double c = TestAudio.correlation(o, w, r, w + l, WINDOW);
                if (c > best) {
                    best = c;
                    bestLag = l;
                }
            }
            if (best > -2) {
                lag = bestLag;
                weighted += best * e;
                energy += e;
                windows++;
            }
        }
        return new Similarity(bestFrames * FRAME, bestEnv, energy == 0 ? -1 : weighted / energy, windows);
    }

    private static double[] envelope(short[] x) {
        double[] e = new double[x.length / FRAME];
        for (int f = 0; f < e.length; f++) {
            double sum = 0;
            for (int i = 0; i < FRAME; i++) {
                double v = x[f * FRAME + i];
                sum += v * v;
            }
            e[f] = Math.sqrt(sum / FRAME);
        }
        return e;
    }

    private static double[] toDouble(short[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
