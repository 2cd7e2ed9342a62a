package io.warmline.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warmline.bridge.call.B2buaCall.State;
import io.warmline.bridge.metrics.CallOutcome;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class B2buaCallStateTest {
    private static Set<State> reachableFrom(State from) {
        Set<State> to = EnumSet.noneOf(State.class);
        for (State s : State.values()) {
            if (from.canMoveTo(s)) {
                to.add(s);
            }
        }
        return to;
    }

    @Test
    void movesFollowTheCallFlow() {
        assertEquals(EnumSet.of(State.DIALING, State.ENDED), reachableFrom(State.NEW));
        assertEquals(EnumSet.of(State.EARLY, State.CONNECTED, State.ENDED), reachableFrom(State.DIALING));
        // 180 after 183 (or the reverse) stays early.
        assertEquals(EnumSet.of(State.EARLY, State.CONNECTED, State.ENDED), reachableFrom(State.EARLY));
        assertEquals(EnumSet.of(State.ENDED), reachableFrom(State.CONNECTED));
        assertEquals(EnumSet.noneOf(State.class), reachableFrom(State.ENDED));
    }

    @Test
    void anEndBeforeTheAnswerIsClassifiedByItsReason() {
        assertEquals(CallOutcome.CANCELLED, B2buaCall.outcomeBeforeAnswer("caller-cancelled"));
        assertEquals(CallOutcome.CANCELLED, B2buaCall.outcomeBeforeAnswer("caller-leg-timeout"));
        assertEquals(CallOutcome.UNANSWERED, B2buaCall.outcomeBeforeAnswer("callee-busy"));
        assertEquals(CallOutcome.REFUSED, B2buaCall.outcomeBeforeAnswer("no-common-codec"));
        assertEquals(CallOutcome.REFUSED, B2buaCall.outcomeBeforeAnswer("rtp-bind-failed: address in use"));
        assertEquals(CallOutcome.FAILED, B2buaCall.outcomeBeforeAnswer("node-drained"));
        assertEquals(CallOutcome.FAILED, B2buaCall.outcomeBeforeAnswer("dial-failed"));
    }
}
