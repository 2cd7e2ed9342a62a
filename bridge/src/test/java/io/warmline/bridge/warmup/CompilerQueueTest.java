package io.warmline.bridge.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompilerQueueTest {

    @Test
    void countsTheTasksOfACompilerQueueListing() {
        String busy = """
                Current compiles:
                C2 CompilerThread0   7869       4       io.warmline.webrtc.srtp.SrtpSession::transform (132 bytes)
                C1 CompilerThread0   7870       3       io.warmline.media.mix.Mixer::tick (201 bytes)

                C1 compile queue:
                   7871       3       java.lang.String::hashCode (60 bytes)

                C2 compile queue:
                Empty

                """;
        assertEquals(3, CompilerQueue.count(busy));
        assertEquals(0, CompilerQueue.count("Current compiles:\n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\n"
                + "Empty\n"));
    }

    @Test
    void readsThisJvmsCompilerState() {
        CompilerQueue q = new CompilerQueue();
        assertTrue(q.totalCompileMillis() >= 0, "HotSpot reports its compile time");
        assertTrue(q.backlog() >= 0, "HotSpot answers Compiler.queue");
    }
}
