package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionTimerTest {

    @Test
    void refresherRefreshesAtHalfTheInterval() {
        SessionTimer t = new SessionTimer(1_800_000, true, 1_000);
        assertEquals(1_000 + 900_000, t.deadline());
        assertEquals(SessionTimer.Action.NONE, t.poll(900_999));
        assertEquals(SessionTimer.Action.REFRESH, t.poll(901_000));
        // refresh sent, not yet answered: next deadline is the BYE time (expiry - 32 s)
        assertEquals(1_000 + 1_800_000 - 32_000, t.deadline());
        t.refreshed(1_800_000, true, 902_000);
        assertEquals(902_000 + 900_000, t.deadline());
    }

    @Test
    void refresherWhoseRefreshFailsEndsBeforeExpiry() {
        SessionTimer t = new SessionTimer(90_000, true, 0);
        assertEquals(SessionTimer.Action.REFRESH, t.poll(45_000));
        assertEquals(SessionTimer.Action.NONE, t.poll(59_999));
        assertEquals(SessionTimer.Action.EXPIRE, t.poll(60_000)); // 90 s - min(32 s, 30 s)
        assertEquals(Long.MAX_VALUE, t.deadline());
        assertEquals(SessionTimer.Action.NONE, t.poll(100_000));
    }

    @Test
    void refresheeExpiresWithoutRefresh() {
        SessionTimer t = new SessionTimer(1_800_000, false, 0);
        assertEquals(1_768_000, t.deadline());
        assertEquals(SessionTimer.Action.NONE, t.poll(1_767_999));
        assertEquals(SessionTimer.Action.EXPIRE, t.poll(1_768_000));
    }

    @Test
    void refresheeKeptAliveByRefreshes() {
        SessionTimer t = new SessionTimer(120_000, false, 0);
        for (long now = 50_000; now < 1_000_000; now += 50_000) {
            assertEquals(SessionTimer.Action.NONE, t.poll(now));
            t.refreshed(120_000, false, now);
        }
        assertEquals(950_000 + 120_000 - 32_000, t.deadline());
    }

    @Test
    void roleCanChangeOnRefresh() {
        SessionTimer t = new SessionTimer(100_000, false, 0);
        t.refreshed(200_000, true, 10_000);
        assertEquals(110_000, t.deadline());
        assertEquals(SessionTimer.Action.REFRESH, t.poll(110_000));
    }
}
