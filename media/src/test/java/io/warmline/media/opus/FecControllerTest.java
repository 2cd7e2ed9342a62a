package io.warmline.media.opus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FecControllerTest {

    private static final long S = 1_000_000_000L;

    /** Fraction lost in 1/256 for a loss in percent, as a receiver would report it (A.3: floor). */
    private static int fraction(double percent) {
        return (int) (percent * 256 / 100);
    }

    @Test
    void staysOffWhileNoLossIsReported() {
        FecController c = new FecController();
        for (int i = 0; i < 20; i++) {
            assertFalse(c.onReport(0, i * 5 * S));
        }
        assertFalse(c.enabled());
        assertEquals(0, c.lossPercent());
        assertEquals(0, c.switches());
    }

    @Test
    void lossBelowOnePercentIsLeftToConcealment() {
        FecController c = new FecController();
        assertFalse(c.onReport(fraction(0.5), 0));
        assertFalse(c.onReport(fraction(0.5), 5 * S));
        assertFalse(c.enabled());
    }

    @Test
    void turnsOnAtOnceWithTheReportedLossRoundedUp() {
        FecController c = new FecController();
        assertTrue(c.onReport(fraction(4.3), 0));
        assertTrue(c.enabled());
        assertEquals(5, c.lossPercent(), "ceil of 4.3 % (11/256 = 4.297 %)");
        assertEquals(1, c.switches());
    }

    @Test
    void theExpectedLossIsCappedAndMovesOnlyBySteps() {
        FecController c = new FecController();
        c.onReport(fraction(60), 0);
        assertEquals(FecController.MAX_LOSS_PERCENT, c.lossPercent());

        FecController d = new FecController();
        d.onReport(fraction(6), 0);
        assertEquals(6, d.lossPercent());
        assertFalse(d.onReport(fraction(6.5), 5 * S), "one point up is within the step");
        assertEquals(6, d.lossPercent());
        assertTrue(d.onReport(fraction(10), 10 * S));
        assertEquals(10, d.lossPercent());
    }

    @Test
    void decaysOnCleanReportsAndTurnsOffOnlyAfterThirtySecondsWithoutLoss() {
        FecController c = new FecController();
        c.onReport(fraction(10), 0);
        assertTrue(c.enabled());
        int previous = c.lossPercent();
        long t = 0;
        // clean reports every 5 s: the expected loss comes down, FEC stays on until 30 s after the last loss
        while (t < FecController.OFF_AFTER_NANOS - 5 * S) {
            t += 5 * S;
            c.onReport(0, t);
            assertTrue(c.enabled(), "still on at " + t / S + " s");
            assertTrue(c.lossPercent() <= previous);
            previous = c.lossPercent();
        }
        assertTrue(previous < 10, "decayed from 10 % to " + previous + " %");
        assertTrue(c.onReport(0, FecController.OFF_AFTER_NANOS));
        assertFalse(c.enabled());
        assertEquals(0, c.lossPercent());
        assertEquals(2, c.switches());
    }

    @Test
    void aLossInTheHoldRestartsIt() {
        FecController c = new FecController();
        c.onReport(fraction(5), 0);
        c.onReport(0, 20 * S);
        c.onReport(fraction(0.4), 25 * S);
        c.onReport(0, 40 * S);
        assertTrue(c.enabled(), "the loss at 25 s holds FEC on until 55 s");
        c.onReport(0, 55 * S);
        assertFalse(c.enabled());
    }

    @Test
    void refusesAFractionOutOfRange() {
        FecController c = new FecController();
        assertThrows(IllegalArgumentException.class, () -> c.onReport(256, 0));
        assertThrows(IllegalArgumentException.class, () -> c.onReport(-1, 0));
    }
}
