package io.warmline.media.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RtpPortAllocatorTest {

    @Test
    void evenPortsInsideInclusiveRange() throws Exception {
        RtpPortAllocator ports = new RtpPortAllocator(10001, 10010);
        // pairs 10002/3, 10004/5, 10006/7, 10008/9; 10010/11 would leave the range
        assertEquals(4, ports.capacity());
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            got.add(ports.allocate());
        }
        assertEquals(List.of(10002, 10004, 10006, 10008), got);
        assertEquals(4, ports.inUse());
        PortsExhaustedException e = assertThrows(PortsExhaustedException.class, ports::allocate);
        assertEquals(503, e.sipStatus());
        assertTrue(e.retryable());
        assertEquals(4, e.capacity());
    }

    @Test
    void roundRobinDoesNotReuseJustReleasedPort() throws Exception {
        RtpPortAllocator ports = new RtpPortAllocator(20000, 20007);
        int a = ports.allocate();
        int b = ports.allocate();
        assertTrue(ports.release(a));
        int c = ports.allocate();
        assertNotEquals(a, c);
        assertNotEquals(b, c);
        int d = ports.allocate();
        assertNotEquals(a, d);
        // the cursor wraps around to the first free pair
        assertEquals(a, ports.allocate());
        assertEquals(4, ports.inUse());
    }

    @Test
    void releaseIsIdempotentAndIgnoresForeignPorts() throws Exception {
        RtpPortAllocator ports = new RtpPortAllocator(30000, 30003);
        int a = ports.allocate();
        assertTrue(ports.release(a));
        assertFalse(ports.release(a));
        assertFalse(ports.release(a + 1));
        assertFalse(ports.release(29998));
        assertFalse(ports.release(30004));
        assertEquals(0, ports.inUse());
    }

    @Test
    void rejectsRangeWithoutPair() {
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(10001, 10002));
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(10000, 10000));
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(10, 70000));
        assertThrows(IllegalArgumentException.class, () -> new RtpPortAllocator(20, 10));
        assertEquals(1, new RtpPortAllocator(10000, 10001).capacity());
    }

    @Test
    void skipsPortsThatCannotBeBound() throws Exception {
        RtpPortAllocator ports = new RtpPortAllocator(40000, 40007);
        Set<Integer> taken = Set.of(40000, 40002);
        List<Integer> tried = new ArrayList<>();
        int bound = ports.allocate(port -> {
            tried.add(port);
            if (taken.contains(port)) {
                throw new BindException("taken");
            }
            return port;
        });
        assertEquals(40004, bound);
        assertEquals(List.of(40000, 40002, 40004), tried);
        assertEquals(1, ports.inUse());
    }

    @Test
    void exhaustedWhenNothingBinds() {
        RtpPortAllocator ports = new RtpPortAllocator(40000, 40005);
        List<Integer> tried = new ArrayList<>();
        assertThrows(PortsExhaustedException.class, () -> ports.allocate(port -> {
            tried.add(port);
            throw new BindException("taken");
        }));
        assertEquals(3, tried.size());
        assertEquals(0, ports.inUse());
    }

    @Test
    void otherBindFailuresPropagateAndGiveThePortBack() {
        RtpPortAllocator ports = new RtpPortAllocator(40000, 40005);
        assertThrows(SocketException.class, () -> ports.allocate(port -> {
            throw new SocketException("no such address");
        }));
        assertEquals(0, ports.inUse());
        assertThrows(IllegalStateException.class, () -> ports.allocate(port -> {
            throw new IllegalStateException("bug");
        }));
        assertEquals(0, ports.inUse());
    }

    @Test
    void concurrentCallersNeverShareAPort() throws Exception {
        RtpPortAllocator ports = new RtpPortAllocator(50000, 50399);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    int p = ports.allocate();
                    assertTrue(seen.add(p), "shared " + p);
                }
                return null;
            }));
        }
        start.countDown();
        for (var f : futures) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(200, ports.inUse());
        assertEquals(200, new HashSet<>(seen).size());
    }

    @Test
    void ioExceptionTypeIsKept() {
        RtpPortAllocator ports = new RtpPortAllocator(40000, 40001);
        IOException e = assertThrows(IOException.class, () -> ports.allocate(port -> {
            throw new IOException("disk");
        }));
        assertEquals("disk", e.getMessage());
    }
}
