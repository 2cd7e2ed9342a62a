package io.warmline.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopSnapshotTest {

    @Test
    void offTheLoopTheSnapshotIsTakenOnTheLoop() throws Exception {
        EventLoop loop = new DefaultEventLoop();
        try {
            Thread loopThread = loop.submit(Thread::currentThread).get(1, TimeUnit.SECONDS);
            assertSame(loopThread, LoopSnapshot.take(loop, Thread::currentThread));
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void onTheLoopTheSnapshotIsTakenDirectly() throws Exception {
        EventLoop loop = new DefaultEventLoop();
        try {
            Thread[] seen = new Thread[2];
            loop.submit(() -> {
                seen[0] = Thread.currentThread();
                seen[1] = LoopSnapshot.take(loop, Thread::currentThread);
            }).get(1, TimeUnit.SECONDS);
            assertSame(seen[0], seen[1]);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aShutDownLoopLeavesTheSnapshotToTheCaller() throws Exception {
        EventLoop loop = new DefaultEventLoop();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        assertSame(Thread.currentThread(), LoopSnapshot.take(loop, Thread::currentThread));
        assertEquals("x", LoopSnapshot.take(loop, () -> "x"));
    }
}
