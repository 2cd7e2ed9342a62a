package io.warmline.media.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check itself notices a buffer that is dropped without release. */
class LeakCheckTest {

    @Test
    void reportsAnUnreleasedBuffer() {
        new LeakCheck().beforeAll(null);
        leakOne();
        List<String> found = List.of();
        for (int round = 0; round < 50 && found.isEmpty(); round++) {
            found = LeakCheck.collect(1);
        }
        assertFalse(found.isEmpty(), "the detector did not report the dropped buffer");
        assertTrue(found.get(0).contains("LEAK"));
    }

    private static void leakOne() {
        PooledByteBufAllocator.DEFAULT.directBuffer(64).writeInt(42);
    }
}
