package io.warmline.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.warmline.media.time.ManualClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class LegTickerTest {

    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock(1_000_000 * MS);
    private final List<MediaLeg> legs = new ArrayList<>();
    private NioEventLoopGroup group;
    private EventLoop loop;
    private RtpPortAllocator ports;

    @BeforeEach
    void setUp() {
        group = new NioEventLoopGroup(1);
        loop = group.next();
        int[] range = UdpPeer.freeRange(6);
        ports = new RtpPortAllocator(range[0], range[1]);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (MediaLeg leg : legs) {
            onLoop(() -> {
                leg.close();
                return null;
            });
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        assertEquals(0, ports.inUse(), "ports leaked");
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private MediaLeg open() throws Exception {
        MediaLeg leg = MediaLeg.open(loop, UdpPeer.LOOPBACK, ports,
                new MediaLegOptions(Duration.ofSeconds(10), Duration.ofSeconds(2), clock, "leg@test"));
        legs.add(leg);
        return leg;
    }

    private LegTicker ticker() throws Exception {
        return onLoop(() -> LegTicker.of(loop, MediaLeg.TIMER_PERIOD_MILLIS));
    }

    /** Waits, bounded, for a condition that the loop's next ticks make true (each check is a loop round trip). */
    private void await(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(UdpPeer.TIMEOUT_MILLIS);
        BooleanSupplier check = () -> {
            try {
                return onLoop(condition);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        boolean ok = check.getAsBoolean();
        while (!ok && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            ok = check.getAsBoolean();
        }
        assertTrue(ok, "condition not reached");
    }

    @Test
    void legsOfOneLoopShareOneTickerThatStopsWhenTheLastLegCloses() throws Exception {
        MediaLeg a = open();
        MediaLeg b = open();
        MediaLeg c = open();
        LegTicker ticker = ticker();
        assertEquals(3, onLoop(ticker::size));
        assertTrue(onLoop(ticker::ticking));

        onLoop(() -> {
            a.close();
            b.close();
            return null;
        });
        await(() -> ticker.size() == 1);
        assertTrue(onLoop(ticker::ticking));

        onLoop(() -> {
            c.close();
            return null;
        });
        await(() -> ticker.size() == 0 && !ticker.ticking());

        open();
        assertEquals(1, onLoop(ticker::size));
        assertTrue(onLoop(ticker::ticking), "a new leg restarts the ticker");
    }

    @Test
    void tickRunsEachLegsTimersOnItsOwnClock() throws Exception {
        MediaLeg leg = open();
        MediaLegTest.Collector collector = new MediaLegTest.Collector();
        leg.setListener(collector);
        leg.setRemote(new InetSocketAddress(UdpPeer.LOOPBACK, 9), null);
        onLoop(() -> null);
        assertEquals(0, collector.noMedia.get());

        clock.advanceMillis(10_000);
        await(() -> collector.noMedia.get() == 1);
        assertFalse(leg.isClosed());
    }
}
