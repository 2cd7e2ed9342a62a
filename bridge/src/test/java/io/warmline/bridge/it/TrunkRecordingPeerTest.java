package io.warmline.bridge.it;

import static io.warmline.bridge.it.CarrierCallPeerTest.assertCallSucceeded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.media.play.WavAudio;
import io.warmline.media.play.WavReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code trunks.<name>.record: true} on its own: the carrier's trunk records its inbound calls while the target they
 * are routed to has no {@code record} key. A SIPp carrier plays {@code g711a.pcap} (speech, PCMA) into a call on that
 * trunk, the SIPp support line echoes it, and the node writes the call's mix ({@code recording.mode: mix}, the
 * section's mode) for the length of the call, with the caller's speech in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrunkRecordingPeerTest {
    private static final int RATE = 8000;
    private static final Duration TALK = Duration.ofSeconds(5);

    private PeerNode node;
    private Path recordings;

    @BeforeAll
    void startServer() throws Exception {
        PeerEnvironment.assumePeerTestsEnabled();
        node = PeerNode.startWithTrunkKeys("TrunkRecordingPeerTest", Duration.ofSeconds(2), List.of("record: true"),
                dir -> """
                        recording: { directory: "%s", mode: mix, min-free-mb: 1 }
                        """.formatted(dir.resolve("recordings")));
        recordings = node.dir.resolve("recordings");
    }

    @AfterAll
    void stopServer() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aCallOnARecordingTrunkIsRecordedThoughItsTargetIsNot(TestInfo test) throws Exception {
        String config = Files.readString(node.dir.resolve("warmline.yaml"));
        assertTrue(config.contains("    record: true\n"), "the trunk's switch:\n" + config);
        assertEquals(1, config.split("record:", -1).length - 1, "the trunk's switch is the only one:\n" + config);

        String conv = "conv-trunk-rec";
        String dir = test.getTestMethod().orElseThrow().getName();
        try (Sipp.Running uas = node.uas(dir, "uas-echo.xml").set("conv", conv).start().awaitListening();
             Sipp.Running uac = node.uac(dir, "uac-pcap.xml", "1000").set("offer", "pcma").set("conv", conv)
                     .pause(TALK).start()) {
            assertTrue(node.process.output().await(l -> l.contains("Recording to ") && l.contains(conv + "_")
                    && l.contains("_mix.wav"), Duration.ofSeconds(30)), "no recording started:\n"
                    + node.process.output().tail(30));
            assertCallSucceeded(uac.await(), uas.await());
        }
        assertTrue(node.process.output().await(l -> l.contains("Recording ") && l.contains(conv)
                && l.contains("_mix.wav closed"), Duration.ofSeconds(10)), "no close of the mix:\n"
                + node.process.output().tail(30));

        List<Path> files = files(conv);
        assertEquals(1, files.size(), "mode mix: one file, " + files);
        assertTrue(files.get(0).getFileName().toString().endsWith("_mix.wav"), files.toString());
        WavAudio mix = WavReader.read(files.get(0));
        assertEquals(RATE, mix.sampleRate());
        assertEquals(TALK.toMillis(), mix.durationMillis(), 1000, "the recording lasts the call (ACK to BYE)");
        // g711a.pcap is speech at about -20 dBFS: the loudest second of the mix is far above silence and line noise
        double loudest = 0;
        short[] x = mix.samples();
        for (int s = 0; s + RATE <= x.length; s += RATE) {
            double sum = 0;
            for (int i = s; i < s + RATE; i++) {
                sum += (double) x[i] * x[i];
            }
            loudest = Math.max(loudest, Math.sqrt(sum / RATE));
        }
        assertTrue(loudest > 300, "RMS of the mix's loudest second: " + loudest);
    }

    private List<Path> files(String conv) throws IOException {
        try (Stream<Path> all = Files.walk(recordings, 2)) {
            return all.filter(p -> p.getFileName().toString().startsWith(conv + "_")).sorted().toList();
        }
    }
}
