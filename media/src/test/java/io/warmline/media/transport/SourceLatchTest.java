package io.warmline.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SourceLatchTest {

    private static final long MS = 1_000_000L;
    private static final long WINDOW = 2_000 * MS;
    private static final InetSocketAddress SDP = new InetSocketAddress("192.0.2.10", 4000);
    private static final InetSocketAddress NAT = new InetSocketAddress("198.51.100.7", 31000);
    private static final InetSocketAddress ATTACKER = new InetSocketAddress("203.0.113.66", 5555);

    /** One packet: time after startLearning (ms), source, expected verdict. */
    record Step(long atMs, InetSocketAddress from, boolean accepted) {
    }

    static Step step(long atMs, InetSocketAddress from, boolean accepted) {
        return new Step(atMs, from, accepted);
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
            Arguments.of("SDP address sends: latched, others refused", SDP, List.of(
                step(10, SDP, true), step(20, ATTACKER, false), step(30, SDP, true),
                step(3000, SDP, true), step(3010, ATTACKER, false)), SDP),
            Arguments.of("NAT: first source latched during window", SDP, List.of(
                step(10, NAT, true), step(20, NAT, true), step(30, ATTACKER, false),
                step(2500, NAT, true), step(2600, ATTACKER, false), step(2700, SDP, false)), NAT),
            Arguments.of("SDP address preferred over an earlier source", SDP, List.of(
                step(10, ATTACKER, true), step(20, SDP, true), step(30, ATTACKER, false),
                step(2100, SDP, true), step(2200, ATTACKER, false)), SDP),
            Arguments.of("nothing during window: SDP address used after it", SDP, List.of(
                step(2000, ATTACKER, false), step(2001, SDP, true), step(9000, NAT, false)), SDP),
            Arguments.of("window boundary is exclusive", SDP, List.of(
                step(1999, NAT, true), step(2000, SDP, false), step(2001, NAT, true)), NAT),
            Arguments.of("no SDP address: first source latched", null, List.of(
                step(5, NAT, true), step(6, ATTACKER, false), step(5000, NAT, true)), NAT),
            Arguments.of("no SDP address and silence: nothing accepted", null, List.of(
                step(2500, NAT, false), step(2600, ATTACKER, false)), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void table(String name, InetSocketAddress sdp, List<Step> steps, InetSocketAddress finalLatch) {
        long start = 7_000 * MS;
        SourceLatch latch = new SourceLatch(sdp, WINDOW);
        latch.startLearning(start);
        for (Step s : steps) {
            assertEquals(s.accepted(), latch.accept(s.from(), start + s.atMs() * MS), name + " at " + s);
        }
        latch.poll(start + 100_000 * MS);
        assertEquals(finalLatch, latch.latched(), name);
    }

    @Test
    void nothingAcceptedBeforeLearningStarts() {
        SourceLatch latch = new SourceLatch(SDP, WINDOW);
        assertFalse(latch.accept(SDP, 0));
        assertNull(latch.latched());
        assertEquals(SDP, latch.target());
        assertFalse(latch.accept(null, 0));
    }

    @Test
    void newSignallingOpensNewWindow() {
        SourceLatch latch = new SourceLatch(SDP, WINDOW);
        latch.startLearning(0);
        assertTrue(latch.accept(SDP, MS));
        assertFalse(latch.accept(NAT, 5_000 * MS));
        InetSocketAddress moved = new InetSocketAddress("192.0.2.99", 4002);
        latch.startLearning(moved, 6_000 * MS);
        assertTrue(latch.isLearning());
        assertEquals(moved, latch.target());
        assertTrue(latch.accept(NAT, 6_001 * MS));
        assertTrue(latch.accept(moved, 6_002 * MS));
        assertFalse(latch.accept(NAT, 6_003 * MS));
        assertFalse(latch.accept(SDP, 6_004 * MS));
        latch.poll(9_000 * MS);
        assertFalse(latch.isLearning());
        assertEquals(moved, latch.latched());
    }

    @Test
    void aMoveBySignallingIsNotUndoneByPacketsFromTheAddressLeft() {
        SourceLatch latch = new SourceLatch(SDP, WINDOW);
        latch.startLearning(0);
        assertTrue(latch.accept(SDP, MS));
        InetSocketAddress moved = new InetSocketAddress("192.0.2.10", 4002);
        latch.startLearning(moved, 5_000 * MS);
        // An echo of what we sent before the move arrives first: it must not latch the old port again.
        assertFalse(latch.accept(SDP, 5_001 * MS));
        assertEquals(moved, latch.target());
        assertTrue(latch.accept(moved, 5_002 * MS));
        assertFalse(latch.accept(SDP, 5_003 * MS));
        latch.poll(8_000 * MS);
        assertEquals(moved, latch.latched());
        // Moving back is allowed: the address signalled again is not abandoned any more.
        latch.startLearning(SDP, 9_000 * MS);
        assertFalse(latch.accept(moved, 9_001 * MS));
        assertTrue(latch.accept(SDP, 9_002 * MS));
        // A NAT'd source that is not the address signalling left is still learned as before.
        latch.startLearning(moved, 12_000 * MS);
        assertTrue(latch.accept(NAT, 12_001 * MS));
    }

    @Test
    void pollSettlesTargetWithoutTraffic() {
        SourceLatch latch = new SourceLatch(SDP, WINDOW);
        latch.startLearning(0);
        latch.poll(WINDOW - 1);
        assertTrue(latch.isLearning());
        assertNull(latch.latched());
        latch.poll(WINDOW);
        assertFalse(latch.isLearning());
        assertEquals(SDP, latch.latched());
    }

    @Test
    void zeroWindowLatchesSdpAddressImmediately() {
        SourceLatch latch = new SourceLatch(SDP, 0);
        latch.startLearning(0);
        assertFalse(latch.accept(NAT, 0));
        assertTrue(latch.accept(SDP, 0));
    }

    @Test
    void clockWrapAroundIsHandled() {
        SourceLatch latch = new SourceLatch(SDP, WINDOW);
        long start = Long.MAX_VALUE - MS;
        latch.startLearning(start);
        assertTrue(latch.accept(NAT, start + 10 * MS));
        assertFalse(latch.accept(ATTACKER, start + 3_000 * MS));
        assertTrue(latch.accept(NAT, start + 3_000 * MS));
    }
}
