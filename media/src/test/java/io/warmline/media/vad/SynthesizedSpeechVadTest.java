package io.warmline.media.vad;

import io.warmline.media.testing.Tools;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real synthesised speech, made at test time with espeak-ng and resampled to 8 kHz by sox (both Debian packages; CI
 * installs them, and their absence is a failure, not a skip).
 */
class SynthesizedSpeechVadTest {

    @TempDir
    Path dir;

    @Test
    void twoIvrPromptsAreTwoSegmentsWithTheirBoundaries() throws Exception {
        short[] menu = speak("Thank you for calling. For sales, press one. For support, press two.", "menu");
        short[] hold = speak("Please hold while we connect you.", "hold");
        short[] quiet1 = TestSignals.silence(8000, 1.0);
        short[] gap = TestSignals.silence(8000, 1.5);
        short[] signal = TestSignals.addNoise(TestSignals.concat(quiet1, menu, gap, hold, gap), 20, 1);

        long menuStart = 1000 + firstLoud(menu) / 8;
        long menuEnd = 1000 + lastLoud(menu) / 8;
        long holdOffset = 1000 + menu.length / 8 + 1500;
        long holdStart = holdOffset + firstLoud(hold) / 8;
        long holdEnd = holdOffset + lastLoud(hold) / 8;

        List<VoiceActivityDetectorTest.Segment> found = VoiceActivityDetectorTest.segments(signal);
        assertEquals(2, found.size(), found.toString());
        assertNear(menuStart, found.get(0).startMs(), "menu start", found);
        assertNear(menuEnd, found.get(0).endMs(), "menu end", found);
        assertNear(holdStart, found.get(1).startMs(), "hold start", found);
        assertNear(holdEnd, found.get(1).endMs(), "hold end", found);
        assertTrue(found.get(1).silenceMs() >= VadConfig.defaults().hangoverMillis());
    }

    @Test
    void speechAfterRingbackIsTheGreeting() throws Exception {
        // Ringing, then a person answers: only the greeting is speech.
        short[] greeting = speak("Hello, this is support, how can I help?", "hello");
        short[] signal = TestSignals.addNoise(TestSignals.concat(TestSignals.silence(8000, 0.5),
                TestSignals.ringback(8000, 2), greeting, TestSignals.silence(8000, 1.0)), 20, 2);
        long greetingStart = 500 + 12000 + firstLoud(greeting) / 8;
        List<VoiceActivityDetectorTest.Segment> found = VoiceActivityDetectorTest.segments(signal);
        assertEquals(1, found.size(), found.toString());
        assertNear(greetingStart, found.get(0).startMs(), "greeting start", found);
    }

    private static void assertNear(long expectedMs, long actualMs, String what, Object context) {
        assertTrue(Math.abs(actualMs - expectedMs) <= 150, what + ": expected about " + expectedMs + " ms, found "
                + actualMs + " ms in " + context);
    }

    private static int firstLoud(short[] x) {
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) > 300) {
                return i;
            }
        }
        throw new AssertionError("espeak-ng produced silence");
    }

    private static int lastLoud(short[] x) {
        for (int i = x.length - 1; i >= 0; i--) {
            if (Math.abs(x[i]) > 300) {
                return i;
            }
        }
        throw new AssertionError("espeak-ng produced silence");
    }

    private short[] speak(String text, String name) throws IOException, InterruptedException {
        Path wav = dir.resolve(name + ".wav");
        Path raw = dir.resolve(name + ".raw");
        Tools.run(List.of("espeak-ng", "-w", wav.toString(), text));
        Tools.run(List.of("sox", "-V1", wav.toString(), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
                "-L", "-t", "raw", raw.toString()));
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[buf.remaining() / 2];
        buf.asShortBuffer().get(out);
        return out;
    }
}
