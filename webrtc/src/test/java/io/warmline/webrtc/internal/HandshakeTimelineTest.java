package io.warmline.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warmline.webrtc.internal.HandshakeTimeline.Step;
import org.junit.jupiter.api.Test;

class HandshakeTimelineTest {

    private static final long ORIGIN = 5_000_000_000L;

    @Test
    void keepsTheFirstTimeOfEachStepRelativeToTheOffersArrival() {
        HandshakeTimeline t = new HandshakeTimeline(ORIGIN);
        assertEquals(-1, t.nanos(Step.FIRST_CHECK));
        t.mark(Step.FIRST_CHECK, ORIGIN + 3_140_000);
        t.mark(Step.FIRST_CHECK, ORIGIN + 9_000_000);
        assertEquals(3_140_000, t.nanos(Step.FIRST_CHECK));
    }

    @Test
    void printsMillisecondsWithOneDecimalAndADashForStepsNotReached() {
        HandshakeTimeline t = new HandshakeTimeline(ORIGIN);
        t.mark(Step.ANSWERED, ORIGIN + 420_000);
        t.mark(Step.FIRST_CHECK, ORIGIN + 3_149_999);
        t.flightSent(ORIGIN + 12_000_000);
        t.flightSent(ORIGIN + 14_250_000);
        t.mark(Step.CONNECTED, ORIGIN + 40_000_000);
        assertEquals("taken=- answer=0.4 joined=- replied=- check=3.1 dtls-in=- dtls-start=- dtls-run=- "
                + "use-candidate=- nominated=- "
                + "flights=[12.0,14.3] keys=- connected=40.0 srtp-out=- srtp-in=-", t.toString());
    }

    @Test
    void keepsABoundedNumberOfFlightTimesAndCountsTheRest() {
        HandshakeTimeline t = new HandshakeTimeline(ORIGIN);
        for (int i = 0; i < HandshakeTimeline.MAX_FLIGHTS + 3; i++) {
            t.flightSent(ORIGIN + i * 1_000_000L);
        }
        assertEquals(HandshakeTimeline.MAX_FLIGHTS + 3, t.flightsSent());
        assertEquals(-1, t.flightNanos(HandshakeTimeline.MAX_FLIGHTS));
        assertEquals(2_000_000, t.flightNanos(2));
        assertTrue(t.toString().contains(",…]"));
    }

    @Test
    void aTimeBeforeTheOriginCountsAsZero() {
        HandshakeTimeline t = new HandshakeTimeline(ORIGIN);
        t.mark(Step.FIRST_CHECK, ORIGIN - 5);
        assertEquals(0, t.nanos(Step.FIRST_CHECK));
    }

    @Test
    void isLoggedOnce() {
        HandshakeTimeline t = new HandshakeTimeline(ORIGIN);
        assertTrue(t.claimLog());
        assertFalse(t.claimLog());
    }
}
