package io.warmline.bridge.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.warmline.bridge.call.B2buaCall.State;
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
}
