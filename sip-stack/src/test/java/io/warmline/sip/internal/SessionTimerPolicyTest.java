package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.warmline.sip.internal.SessionTimerPolicy.Refresher;
import io.warmline.sip.internal.SessionTimerPolicy.UasDecision;
import org.junit.jupiter.api.Test;

class SessionTimerPolicyTest {

    @Test
    void tooSmallGets422WithOurMinSe() {
        assertEquals(new UasDecision.TooSmall(90), SessionTimerPolicy.uas(60L, null, null, true, 1800, 90));
    }

    @Test
    void uasHonoursRequestedIntervalAndRefresher() {
        assertEquals(new UasDecision.Run(600, Refresher.UAS, true),
                SessionTimerPolicy.uas(600L, Refresher.UAS, 90L, true, 1800, 90));
        assertEquals(new UasDecision.Run(900, Refresher.UAC, true),
                SessionTimerPolicy.uas(900L, null, null, true, 1800, 90));
    }

    @Test
    void uasMayShortenButNotBelowRequestMinSe() {
        assertEquals(new UasDecision.Run(1800, Refresher.UAC, true),
                SessionTimerPolicy.uas(7200L, Refresher.UAC, null, true, 1800, 90));
        assertEquals(new UasDecision.Run(3600, Refresher.UAC, true),
                SessionTimerPolicy.uas(7200L, Refresher.UAC, 3600L, true, 1800, 90));
    }

    @Test
    void uacWithoutSupportMakesUsRefresher() {
        assertEquals(new UasDecision.Run(1800, Refresher.UAS, false),
                SessionTimerPolicy.uas(1800L, Refresher.UAC, null, false, 1800, 90));
    }

    @Test
    void noSessionExpires() {
        assertEquals(new UasDecision.NoTimer(), SessionTimerPolicy.uas(null, null, null, false, 1800, 90));
        assertEquals(new UasDecision.Run(1800, Refresher.UAC, true),
                SessionTimerPolicy.uas(null, null, null, true, 1800, 90));
    }

    @Test
    void uacReadsResponse() {
        assertNull(SessionTimerPolicy.uac(null, null));
        assertEquals(new UasDecision.Run(1800, Refresher.UAC, false), SessionTimerPolicy.uac(1800L, null));
        assertEquals(new UasDecision.Run(900, Refresher.UAS, false), SessionTimerPolicy.uac(900L, Refresher.UAS));
        assertEquals(1800, SessionTimerPolicy.retryAfter422(1800, 600));
        assertEquals(3600, SessionTimerPolicy.retryAfter422(1800, 3600));
    }
}
