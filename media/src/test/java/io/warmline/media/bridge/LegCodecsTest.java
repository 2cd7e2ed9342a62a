package io.warmline.media.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LegCodecsTest {

    @Test
    void symmetricReceivesWhatItSends() {
        LegCodecs c = LegCodecs.symmetric(LegCodec.pcma(101));
        assertEquals(List.of(LegCodec.pcma(101)), c.receive());
        assertEquals(LegCodec.pcma(101), c.received(8));
        assertNull(c.received(0));
    }

    @Test
    void aPayloadTypeIsReceivedAsOneThingOnly() {
        assertThrows(IllegalArgumentException.class,
                () -> new LegCodecs(LegCodec.pcmu(-1), List.of(LegCodec.pcmu(-1), LegCodec.pcmu(101))));
        // 8 is PCMA's audio and, in the other entry, telephone-event
        assertThrows(IllegalArgumentException.class,
                () -> new LegCodecs(LegCodec.pcmu(-1), List.of(LegCodec.pcmu(8), LegCodec.pcma(-1))));
    }

    @Test
    void theReceiveListIsBounded() {
        assertThrows(IllegalArgumentException.class, () -> new LegCodecs(LegCodec.pcmu(-1), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new LegCodecs(LegCodec.pcmu(-1),
                Collections.nCopies(LegCodecs.MAX_RECEIVE + 1, LegCodec.pcmu(-1))));
    }
}
