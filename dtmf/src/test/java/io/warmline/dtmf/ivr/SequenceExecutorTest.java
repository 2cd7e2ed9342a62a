package io.warmline.dtmf.ivr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.dtmf.ivr.ExecutorOutput.Done;
import io.warmline.dtmf.ivr.ExecutorOutput.SendDigit;
import io.warmline.dtmf.ivr.ExecutorOutput.WaitFinished;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.dtmf.sequence.DtmfSequenceException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceExecutorTest {

    private static final long MS = 1_000_000L;

    /** The executor driven in 20 ms ticks; speech as [startMs, endMs) intervals of the far end. */
    static List<String> run(String sequence, long startMs, long[][] speech, long untilMs, Long legEndMs)
            throws DtmfSequenceException {
        SequenceExecutor executor = new SequenceExecutor(DtmfSequence.parse(sequence));
        List<String> out = new ArrayList<>();
        executor.start(startMs * MS, 0);
        drain(executor, out);
        for (long t = 0; t <= untilMs && !executor.isFinished(); t += 20) {
            long now = t * MS;
            for (long[] s : speech) {
                if (s[0] == t) {
                    executor.onSpeechStarted(now);
                }
                if (s[1] == t) {
                    executor.onSpeechEnded(now, now);
                }
            }
            if (legEndMs != null && legEndMs == t) {
                executor.onLegEnded(now);
            }
            if (executor.nextDeadlineNanos() <= now) {
                executor.advance(now);
            }
            drain(executor, out);
        }
        return out;
    }

    static void drain(SequenceExecutor executor, List<String> out) {
        for (ExecutorOutput o = executor.poll(); o != null; o = executor.poll()) {
            if (o instanceof SendDigit d) {
                out.add(d.digit().symbol() + "@" + d.atNanos() / MS);
            } else if (o instanceof WaitFinished w) {
                out.add((w.prompt() ? "p" : "w") + (w.timedOut() ? "!" : "") + "@" + w.atNanos() / MS);
            } else {
                Done d = (Done) o;
                out.add(d.outcome() + "/" + d.stepsCompleted() + "@" + d.atNanos() / MS);
            }
        }
    }

    @Test
    void digitsAndBlindPausesAreScheduledWithoutDrift() throws DtmfSequenceException {
        assertEquals(List.of("1@500", "w@1200", "2@1200", "w@2400", "#@2400", "DONE/5@2600"),
                run("1 w 2 W #", 500, new long[0][], 5000, null));
    }

    @Test
    void promptWaitHoldsUntilSpeechThenSilence() throws DtmfSequenceException {
        // Greeting 0.3-2.5 s; 1 s of silence ends the prompt at 3.5 s. The next menu speaks 4.0-6.0 s.
        List<String> out = run("p 1 p{silence=800ms} 2", 0, new long[][] {{300, 2500}, {4000, 6000}}, 20_000, null);
        assertEquals(List.of("p@3500", "1@3500", "p@6800", "2@6800", "DONE/4@7000"), out);
    }

    @Test
    void speechResumingBeforeTheSilenceElapsesKeepsWaiting() throws DtmfSequenceException {
        List<String> out = run("p 5", 0, new long[][] {{200, 1000}, {1600, 3000}}, 20_000, null);
        assertEquals(List.of("p@4000", "5@4000", "DONE/2@4200"), out);
    }

    @Test
    void promptAlreadyPlayingWhenTheWaitStarts() throws DtmfSequenceException {
        List<String> out = run("1 p 2", 0, new long[][] {{100, 1500}}, 20_000, null);
        assertEquals(List.of("1@0", "p@2500", "2@2500", "DONE/3@2700"), out);
    }

    @Test
    void promptTimeoutContinuesOrFails() throws DtmfSequenceException {
        assertEquals(List.of("p!@2000", "3@2000", "DONE/2@2200"),
                run("p{timeout=2s} 3", 0, new long[0][], 20_000, null));
        assertEquals(List.of("PROMPT_TIMEOUT/0@2000"),
                run("p{timeout=2s,fallback=fail} 3", 0, new long[0][], 20_000, null));
        // Speech that never stops is a timeout too.
        assertEquals(List.of("1@0", "PROMPT_TIMEOUT/1@5200"),
                run("1 p{timeout=5s,fallback=fail} 2", 0, new long[][] {{1000, 60_000}}, 20_000, null));
    }

    @Test
    void legEndingStopsTheSequence() throws DtmfSequenceException {
        assertEquals(List.of("1@0", "LEG_ENDED/1@1000"), run("1 p 2", 0, new long[0][], 20_000, 1000L));
    }

    @Test
    void cancelStopsOnceAndNothingFollows() throws DtmfSequenceException {
        SequenceExecutor executor = new SequenceExecutor(DtmfSequence.parse("1 W 2"));
        List<String> out = new ArrayList<>();
        executor.start(0, 0);
        executor.advance(300 * MS);
        executor.cancel(400 * MS);
        executor.cancel(500 * MS);
        executor.onLegEnded(600 * MS);
        executor.advance(10_000 * MS);
        drain(executor, out);
        assertEquals(List.of("1@0", "CANCELLED/1@400"), out);
        assertEquals(Long.MAX_VALUE, executor.nextDeadlineNanos());
        assertNull(executor.poll());
        assertThrows(IllegalStateException.class, () -> executor.start(0, 0));
    }

    @Test
    void deadlinesTellTheOwnerWhenToComeBack() throws DtmfSequenceException {
        SequenceExecutor executor = new SequenceExecutor(DtmfSequence.parse("{duration=200ms,gap=50ms}1 w"));
        assertEquals(Long.MAX_VALUE, executor.nextDeadlineNanos());
        executor.start(100 * MS, 0);
        assertEquals(100 * MS, executor.nextDeadlineNanos());
        executor.advance(100 * MS);
        assertEquals(350 * MS, executor.nextDeadlineNanos());
        executor.advance(350 * MS);
        assertEquals(850 * MS, executor.nextDeadlineNanos());
        executor.advance(850 * MS);
        assertTrue(executor.isFinished());
    }
}
