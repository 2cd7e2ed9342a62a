package io.warmline.dtmf.leg;

import static io.warmline.dtmf.leg.LegHarness.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.dtmf.DtmfMode;
import io.warmline.dtmf.info.DtmfInfo;
import io.warmline.dtmf.ivr.ExecutorOutput.Outcome;
import io.warmline.dtmf.leg.DialRejectedException.Reason;
import io.warmline.dtmf.sequence.DtmfSequence;
import io.warmline.media.time.ManualClock;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Keys on demand: bounds, rate, queue, cancellation, leg end, and no way to reach another leg. */
class DigitDialerTest {

    /** The leg's event loop, run by the test between ticks. */
    private final ArrayDeque<Runnable> loopTasks = new ArrayDeque<>();
    private final Executor loop = loopTasks::add;
    private final ManualClock clock = new ManualClock();

    private final LegHarness leg = new LegHarness(DtmfMode.INFO, -1, 8000);

    private void runLoop(long millis) {
        for (long t = 0; t < millis; t += 20) {
            while (!loopTasks.isEmpty()) {
                loopTasks.poll().run();
            }
            leg.now = clock.nanoTime();
            leg.tick();
            clock.advanceMillis(20);
        }
    }

    private String sent() {
        return leg.infos.stream().map(i -> String.valueOf(i.digit().symbol())).collect(Collectors.joining());
    }

    @Test
    void pressSendsTheKeysAndReportsTheResult() throws Exception {
        DigitDialer dialer = leg.dtmf.dialer(loop, clock);
        DialHandle h = dialer.press("12w#");
        assertEquals("api", h.tag());
        assertFalse(h.result().isDone());
        runLoop(2000);
        assertEquals("12#", sent());
        DialResult r = h.result().getNow(null);
        assertEquals(Outcome.DONE, r.outcome());
        assertEquals(3, r.digitsSent());
    }

    @Test
    void malformedAndOversizedRequestsAreRefusedWithTheReason() {
        DigitDialer dialer = leg.dtmf.dialer(loop, clock);
        DialRejectedException bad = assertThrows(DialRejectedException.class, () -> dialer.press("12x"));
        assertEquals(Reason.BAD_SEQUENCE, bad.reason());
        assertEquals(400, bad.httpStatus());
        assertTrue(bad.getMessage().contains("position 3"), bad.getMessage());
        DialRejectedException keys = assertThrows(DialRejectedException.class, () -> dialer.press("1".repeat(33)));
        assertEquals(Reason.TOO_LONG, keys.reason());
        assertTrue(keys.getMessage().contains("32 keys"), keys.getMessage());
        DialRejectedException chars = assertThrows(DialRejectedException.class, () -> dialer.press(" ".repeat(129)));
        assertEquals(Reason.TOO_LONG, chars.reason());
        assertTrue(loopTasks.isEmpty(), "nothing queued");
        runLoop(200);
        assertEquals("", sent());
    }

    @Test
    void theKeyRateIsBounded() throws Exception {
        LegHarness fast = new LegHarness(new LegDtmfSettings(DtmfMode.INFO, LegDtmfSettings.STANDARD.defaults(), 10,
                true, new DialLimits(128, 8, 64, 10, 2)), -1, 8000, true);
        DigitDialer dialer = fast.dtmf.dialer(loop, clock);
        dialer.press("12345678");
        dialer.press("90");
        DialRejectedException e = assertThrows(DialRejectedException.class, () -> dialer.press("1"));
        assertEquals(Reason.RATE_LIMITED, e.reason());
        assertEquals(429, e.httpStatus());
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("retry in 500 ms"), e.getMessage());
        clock.advanceMillis(499);
        assertThrows(DialRejectedException.class, () -> dialer.press("1"));
        clock.advanceMillis(1);
        dialer.press("1");
        clock.advanceMillis(10_000);
        dialer.press("12345678");
    }

    @Test
    void theQueueIsBounded() throws Exception {
        DigitDialer dialer = leg.dtmf.dialer(loop, clock);
        for (int i = 0; i < DialLimits.STANDARD.maxPending(); i++) {
            dialer.press("1");
        }
        DialRejectedException e = assertThrows(DialRejectedException.class, () -> dialer.press("2"));
        assertEquals(Reason.QUEUE_FULL, e.reason());
        runLoop(2000);
        assertEquals("1111", sent());
        dialer.press("2");
        runLoop(400);
        assertEquals("11112", sent());
    }

    @Test
    void cancelStopsTheRemainingKeys() throws Exception {
        DigitDialer dialer = leg.dtmf.dialer(loop, clock);
        DialHandle running = dialer.press("123456");
        DialHandle queued = dialer.press("9");
        runLoop(300);
        running.cancel();
        queued.cancel();
        queued.cancel();
        runLoop(1500);
        DialResult r = running.result().getNow(null);
        assertEquals(Outcome.CANCELLED, r.outcome());
        assertEquals(2, r.digitsSent());
        assertEquals("12", sent());
        assertEquals(new DialResult(Outcome.CANCELLED, 0, queued.result().getNow(null).atNanos()),
                queued.result().getNow(null));
    }

    @Test
    void cancelBeforeTheLoopHasQueuedIt() throws Exception {
        DigitDialer dialer = leg.dtmf.dialer(loop, clock);
        DialHandle h = dialer.press("55");
        h.cancel();
        runLoop(600);
        assertEquals(Outcome.CANCELLED, h.result().getNow(null).outcome());
        assertEquals("", sent());
    }

    @Test
    void legEndEndsTheSequencesAndRefusesMore() throws Exception {
        DigitDialer dialer = leg.dtmf.dialer(loop, clock);
        DialHandle ivr = leg.dtmf.run(DtmfSequence.parse("1 W 2"), "ivr", 0, 0);
        DialHandle api = dialer.press("3");
        runLoop(200);
        leg.dtmf.close(leg.now);
        assertEquals(Outcome.LEG_ENDED, ivr.result().getNow(null).outcome());
        assertEquals(1, ivr.result().getNow(null).digitsSent());
        assertEquals(Outcome.LEG_ENDED, api.result().getNow(null).outcome());
        DialRejectedException e = assertThrows(DialRejectedException.class, () -> dialer.press("4"));
        assertEquals(Reason.LEG_ENDED, e.reason());
        runLoop(2000);
        assertEquals("1", sent());
    }

    @Test
    void aStoppedLoopRefusesTheRequest() {
        DigitDialer dialer = leg.dtmf.dialer(r -> {
            throw new RejectedExecutionException("event loop shut down");
        }, clock);
        assertEquals(Reason.LEG_ENDED, assertThrows(DialRejectedException.class, () -> dialer.press("1")).reason());
    }

    @Test
    void aDialerReachesOnlyItsOwnLeg() throws Exception {
        LegHarness other = new LegHarness(DtmfMode.INFO, -1, 8000);
        DigitDialer dialer = leg.dtmf.dialer(loop, clock);
        dialer.press("7");
        for (int i = 0; i < 20; i++) {
            while (!loopTasks.isEmpty()) {
                loopTasks.poll().run();
            }
            leg.tick();
            other.tick();
        }
        assertEquals(java.util.List.of(new DtmfInfo(io.warmline.dtmf.DtmfDigit.D7, 100)), leg.infos);
        assertTrue(other.infos.isEmpty());
    }

    @Test
    void cancelAllEndsEverythingNow() throws Exception {
        DialHandle a = leg.dtmf.run(DtmfSequence.parse("1 W 2"), "ivr", 0, 0);
        DialHandle b = leg.dtmf.run(DtmfSequence.parse("3"), "api", 0, 0);
        leg.runFor(100);
        leg.dtmf.cancelAll(leg.now);
        assertEquals(Outcome.CANCELLED, a.result().getNow(null).outcome());
        assertEquals(Outcome.CANCELLED, b.result().getNow(null).outcome());
        leg.runFor(2000);
        assertEquals("1", sent());
        assertEquals(100 * MS, a.result().getNow(null).atNanos());
    }
}
