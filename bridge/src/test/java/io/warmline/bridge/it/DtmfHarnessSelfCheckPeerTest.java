package io.warmline.bridge.it;

import static io.warmline.bridge.it.PeerEnvironment.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DTMF peer-test harness checked against itself, with no Warmline in between, so that what the Warmline tests
 * conclude from it means something: a prompt pcap written by {@link RtpPcapWriter} and played by the SIPp IVR
 * arrives with the talkspurt ends it was written with; tshark's telephone-event decode of a shared capture gives
 * the digit, the end-packet triple and the duration it holds; baresip sends and logs RFC 4733 digits, and in-band
 * keys in its microphone file are found by multimon-ng in the other baresip's recording.
 */
class DtmfHarnessSelfCheckPeerTest {
    @BeforeAll
    static void enabled() {
        PeerEnvironment.assumePeerTestsEnabled();
    }

    @Test
    void ivrPromptAndCapturedEventsDecodeAsWritten() throws Exception {
        Path dir = PeerEnvironment.workDir("DtmfHarnessSelfCheckPeerTest/ivr");
        short[] menu = Speech.speak("For sales, press one. For support, press two.", "en", dir, "menu");
        short[] submenu = Speech.speak("Please enter your account number.", "en", dir, "submenu");
        RtpPcapWriter prompt = new RtpPcapWriter(RtpPcapWriter.Law.ALAW, 0x5eed1).audio(menu)
                .silence(Duration.ofMillis(1500)).audio(submenu).silence(Duration.ofMillis(600));
        Path promptPcap = prompt.write(dir.resolve("prompt.pcap"));
        Path digitPcap = PeerEnvironment.shared().resolve("vectors/sipp-pcap/dtmf_2833_5.pcap");

        int uasSip = Ports.sip(LOOPBACK);
        int uasRtp = Ports.udpBlock(LOOPBACK, 4);
        int uacSip = Ports.sip(LOOPBACK);
        int uacRtp = Ports.udpBlock(LOOPBACK, 4);
        Duration talk = prompt.length().plus(Duration.ofMillis(300));
        try (Tshark capture = Tshark.start(dir, "wire", Duration.ofSeconds(40), uasRtp, uacRtp);
             Sipp.Running ivr = Sipp.uas("ivr", "uas-ivr.xml", dir).noEcho().local(LOOPBACK, uasSip, uasRtp)
                     .key("prompt", promptPcap.toString()).pause(talk).timeout(Duration.ofSeconds(20))
                     .start().awaitListening()) {
            Sipp.Result caller = Sipp.uac("uac", "uac-wait-bye.xml", LOOPBACK + ":" + uasSip, "2000", dir)
                    .local(LOOPBACK, uacSip, uacRtp).key("pcap", digitPcap.toString()).set("conv", "c-self").set("uui", CarrierCallPeerTest.hex("c-self"))
                    .timeout(Duration.ofSeconds(20)).run();
            Sipp.Result support = ivr.await();
            assertTrue(caller.succeeded() && support.succeeded(), () -> caller.describe() + "\n" + support.describe());

            RtpCapture wire = capture.stopAndReadRtp(101, uasRtp, uacRtp);
            List<RtpCapture.Event> events = RtpCapture.events(wire.from(uacRtp));
            assertEquals("5", RtpCapture.digits(events), events::toString);
            RtpCapture.Event five = events.get(0);
            assertEquals(3, five.endPackets(), five::toString);
            assertEquals(2240, five.finalDuration(), five::toString);
            assertTrue(five.markerOnFirst(), five::toString);

            List<RtpCapture.Packet> audio = wire.from(uasRtp);
            int written = (int) (prompt.length().toMillis() / RtpPcapWriter.PACKET_MS);
            assertEquals(written, audio.size(), "IVR packets on the wire");
            assertTrue(audio.stream().allMatch(p -> p.payloadType() == 8), "the IVR sends PCMA only");
            double start = audio.get(0).time();
            List<Double> ends = RtpCapture.talkspurtEnds(audio, -45, 0.5);
            List<Duration> expected = prompt.talkspurtEnds();
            assertEquals(expected.size(), ends.size(), () -> "talkspurt ends " + ends + ", written " + expected);
            for (int i = 0; i < ends.size(); i++) {
                double seen = ends.get(i) - start;
                double want = expected.get(i).toNanos() / 1e9;
                // The last loud packet starts at most one packet (plus the trailing quiet of the speech) before the end.
                assertTrue(seen <= want + 0.03 && seen >= want - 0.3, "talkspurt " + i + " ends at " + seen
                        + " s on the wire, written to end at " + want + " s");
            }
        }
    }

    @Test
    void baresipSendsRfc4733AndItsRecordingHoldsInbandKeys() throws Exception {
        Path dir = PeerEnvironment.workDir("DtmfHarnessSelfCheckPeerTest/baresip");
        Path quiet = Speech.toWav(TestAudio.silence(20_000), dir.resolve("quiet.wav"));
        Path keys = Speech.toWav(TestAudio.concat(TestAudio.silence(800), TestAudio.keys("47#", 100, 100, -12),
                TestAudio.silence(1500)), dir.resolve("keys.wav"));
        try (Baresip callee = Baresip.start(dir.resolve("callee"), "callee", quiet);
             Baresip caller = Baresip.start(dir.resolve("caller"), "caller", keys)) {
            caller.dial(callee.uri("callee"));
            assertTrue(caller.awaitLog("Call established", Duration.ofSeconds(10)), caller::log);
            assertTrue(callee.awaitLog("Call established", Duration.ofSeconds(10)), callee::log);
            caller.sendDigit('1');
            caller.sendDigit('#');
            List<Baresip.Heard> heard = callee.awaitDigits(2, Duration.ofSeconds(5));
            assertEquals(List.of(new Baresip.Heard('1', "rfc4733"), new Baresip.Heard('#', "rfc4733")), heard,
                    callee::log);
            // The caller's microphone file ends 2.9 s into the call, and with it the call (baresip's aufile).
            assertTrue(callee.awaitLog("terminated", Duration.ofSeconds(10)), callee::log);
            List<Path> recordings = callee.decodedRecordings();
            assertEquals(1, recordings.size(), recordings::toString);
            assertEquals("47#", Baresip.inbandDigits(recordings.get(0)));
        }
    }
}
