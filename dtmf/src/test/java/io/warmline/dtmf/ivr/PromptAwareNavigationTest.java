package io.warmline.dtmf.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.dtmf.internal.Audio;
import io.warmline.dtmf.ivr.ExecutorOutput.Done;
import io.warmline.dtmf.ivr.ExecutorOutput.Outcome;
import io.warmline.dtmf.ivr.ExecutorOutput.SendDigit;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.media.vad.VadConfig;
import io.warmline.media.vad.VadEvent;
import io.warmline.media.vad.VoiceActivityDetector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IVR speaking two menu prompts (espeak-ng speech through sox, in line noise), heard by media's VAD, driving the
 * executor: each key goes out after its prompt has ended and the configured silence has passed, never during speech.
 */
class PromptAwareNavigationTest {

    private static final long MS = 1_000_000L;

    @TempDir
    Path dir;

    @Test
    void eachKeyFollowsTheEndOfItsPrompt() throws Exception {
        short[] welcome = Audio.speak(dir, "welcome", "Welcome to support. For billing, press one. For technical "
                + "help, press two.", List.of("-v", "en-us"));
        short[] second = Audio.speak(dir, "second", "For internet problems, press three. For television, press four.",
                List.of("-v", "en-us"));
        int lead = 8000 / 2;
        int gap = 8000 * 3;
        short[] line = new short[lead + welcome.length + gap + second.length + 8000 * 4];
        System.arraycopy(welcome, 0, line, lead, welcome.length);
        int secondAt = lead + welcome.length + gap;
        System.arraycopy(second, 0, line, secondAt, second.length);
        Audio.addNoise(line, -55, 3);
        long welcomeEndMs = (lead + lastLoud(welcome)) / 8;
        long secondStartMs = (secondAt + firstLoud(second)) / 8;
        long secondEndMs = (secondAt + lastLoud(second)) / 8;

        VoiceActivityDetector vad = new VoiceActivityDetector(VadConfig.defaults(), 8000);
        SequenceExecutor executor = new SequenceExecutor(DtmfSequence.parse("p{silence=800ms,timeout=30s} 1 "
                + "p{silence=800ms,timeout=30s,fallback=fail} 3"));
        List<Long> keysAtMs = new ArrayList<>();
        String keys = "";
        Outcome outcome = null;
        executor.start(0, 0);
        for (int at = 0; at + 160 <= line.length && outcome == null; at += 160) {
            long now = at * 125_000L;
            VadEvent event = vad.process(line, at, now);
            long after = now + 20 * MS;
            if (event == VadEvent.SPEECH_STARTED) {
                executor.onSpeechStarted(after);
            } else if (event == VadEvent.SPEECH_ENDED) {
                executor.onSpeechEnded(vad.speechEndNanos(), after);
            }
            executor.advance(after);
            for (ExecutorOutput o = executor.poll(); o != null; o = executor.poll()) {
                if (o instanceof SendDigit d) {
                    keys += d.digit().symbol();
                    keysAtMs.add(d.atNanos() / MS);
                } else if (o instanceof Done done) {
                    outcome = done.outcome();
                }
            }
        }
        assertEquals(Outcome.DONE, outcome);
        assertEquals("13", keys);
        String context = "keys at " + keysAtMs + ", welcome ends " + welcomeEndMs + ", second " + secondStartMs + "-"
                + secondEndMs;
        // After the prompt's end plus the configured silence (VAD frames: within 150 ms), before the next prompt.
        assertTrue(keysAtMs.get(0) >= welcomeEndMs + 800 - 150 && keysAtMs.get(0) <= welcomeEndMs + 800 + 300,
                context);
        assertTrue(keysAtMs.get(0) < secondStartMs, context);
        assertTrue(keysAtMs.get(1) >= secondEndMs + 800 - 150 && keysAtMs.get(1) <= secondEndMs + 800 + 300, context);
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
}
