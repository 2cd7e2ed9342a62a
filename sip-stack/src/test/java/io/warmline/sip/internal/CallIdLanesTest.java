package io.warmline.sip.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gov.nist.javax.sip.stack.DatagramQueuedMessageDispatch;
import java.net.DatagramPacket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallIdLanesTest {

    private final AtomicLong now = new AtomicLong(10_000);
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    private static DatagramQueuedMessageDispatch datagram(String callId, long receivedAt) {
        String m = "ACK sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\n"
                + (callId == null ? "" : "Call-ID: " + callId + "\r\n") + "CSeq: 1 ACK\r\n\r\n";
        byte[] b = m.getBytes(StandardCharsets.ISO_8859_1);
        return new DatagramQueuedMessageDispatch(new DatagramPacket(b, b.length), receivedAt);
    }

    /** Call-IDs landing in two different lanes of {@code lanes}. */
    private static String[] twoLanes(CallIdLanes lanes) {
        String first = "call-0@h";
        int lane = lane(lanes, first);
        for (int i = 1; i < 1000; i++) {
            String other = "call-" + i + "@h";
            if (lane(lanes, other) != lane) {
                return new String[] {first, other};
            }
        }
        throw new AssertionError("all Call-IDs in one lane");
    }

    private static int lane(CallIdLanes lanes, String callId) {
        DatagramPacket p = datagram(callId, 0).packet;
        return lanes.laneOf(p.getData(), p.getOffset(), p.getLength());
    }

    @Test
    void aCallIdAlwaysGoesToOneLaneAndNoCallIdToLaneZero() {
        CallIdLanes lanes = new CallIdLanes(4, 10, 0, now::get, nanos::get);
        assertEquals(lane(lanes, "abc@h"), lane(lanes, "abc@h"));
        assertEquals(0, lane(lanes, null));
        int[] used = new int[4];
        for (int i = 0; i < 400; i++) {
            used[lane(lanes, "spread-" + i + "@host")]++;
        }
        for (int n : used) {
            assertTrue(n > 50, "Call-IDs spread over the lanes: " + java.util.Arrays.toString(used));
        }
    }

    @Test
    void eachWorkerTakesOnlyFromItsOwnLaneInArrivalOrder() throws Exception {
        CallIdLanes lanes = new CallIdLanes(2, 10, 0, now::get, nanos::get);
        String[] ids = twoLanes(lanes);
        List<DatagramQueuedMessageDispatch> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (String id : ids) {
                DatagramQueuedMessageDispatch d = datagram(id, now.get());
                sent.add(d);
                assertTrue(lanes.offer(d));
            }
        }
        assertEquals(6, lanes.size());
        List<DatagramQueuedMessageDispatch> a = takeThree(lanes);
        List<DatagramQueuedMessageDispatch> b = takeThree(lanes);
        assertTrue(lanes.isEmpty());
        assertNotEquals(callIdOf(a.get(0)), callIdOf(b.get(0)), "two workers, two lanes");
        for (List<DatagramQueuedMessageDispatch> taken : List.of(a, b)) {
            String id = callIdOf(taken.get(0));
            List<DatagramQueuedMessageDispatch> expected = sent.stream().filter(d -> callIdOf(d).equals(id)).toList();
            assertEquals(expected, taken, "one lane, in arrival order");
        }
        ExecutionException third = assertThrows(ExecutionException.class,
                () -> CompletableFuture.supplyAsync(() -> pollQuietly(lanes)).get(5, TimeUnit.SECONDS));
        assertTrue(third.getCause() instanceof IllegalStateException, "a third worker has no lane");
    }

    private static DatagramQueuedMessageDispatch pollQuietly(CallIdLanes lanes) {
        try {
            return lanes.poll(1, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Three takes on one fresh thread: the thread is bound to a lane on its first take. */
    private static List<DatagramQueuedMessageDispatch> takeThree(CallIdLanes lanes) throws Exception {
        CompletableFuture<List<DatagramQueuedMessageDispatch>> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                List<DatagramQueuedMessageDispatch> got = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    got.add(lanes.poll(5, TimeUnit.SECONDS));
                }
                f.complete(got);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        t.start();
        List<DatagramQueuedMessageDispatch> got = f.get(10, TimeUnit.SECONDS);
        assertFalse(got.contains(null), "a datagram within the timeout");
        return got;
    }

    private static String callIdOf(DatagramQueuedMessageDispatch d) {
        DatagramPacket p = d.packet;
        long f = CallIdScan.find(p.getData(), p.getOffset(), p.getLength());
        return new String(p.getData(), (int) (f >>> 32), (int) f - (int) (f >>> 32), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aFullLaneRefusesAndCounts() {
        CallIdLanes lanes = new CallIdLanes(2, 2, 0, now::get, nanos::get);
        String[] ids = twoLanes(lanes);
        assertTrue(lanes.offer(datagram(ids[0], 1)));
        assertTrue(lanes.offer(datagram(ids[0], 2)));
        assertFalse(lanes.offer(datagram(ids[0], 3)));
        assertTrue(lanes.offer(datagram(ids[1], 4)), "the other lane still has room");
        assertEquals(1, lanes.fullDrops());
        assertEquals(3, lanes.size());
        assertEquals(1, lanes.remainingCapacity());
    }

    @Test
    void datagramsOlderThanTheCongestionTimeoutAreDroppedWhenTaken() throws Exception {
        CallIdLanes lanes = new CallIdLanes(1, 10, 8000, now::get, nanos::get);
        DatagramQueuedMessageDispatch old = datagram("a@h", 1000);
        DatagramQueuedMessageDispatch fresh = datagram("a@h", 5000);
        lanes.offer(old);
        lanes.offer(fresh);
        now.set(13_000); // old waited 12 s, fresh 8 s: only old is past the 8 s timeout
        DatagramQueuedMessageDispatch got = CompletableFuture.supplyAsync(() -> {
            try {
                return lanes.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);
        assertSame(fresh, got);
        assertEquals(1, lanes.expiredDrops());
        assertNull(lanes.poll());
    }

    @Test
    void eachLanesDepthAndThePeakAreKept() throws Exception {
        CallIdLanes lanes = new CallIdLanes(2, 3, 0, now::get, nanos::get);
        String[] ids = twoLanes(lanes);
        int a = lane(lanes, ids[0]);
        int b = lane(lanes, ids[1]);
        assertEquals(2, lanes.laneCount());
        assertEquals(3, lanes.capacity());
        assertEquals(0, lanes.peakDepth());
        lanes.offer(datagram(ids[0], 1));
        lanes.offer(datagram(ids[0], 2));
        lanes.offer(datagram(ids[1], 3));
        assertEquals(2, lanes.depth(a));
        assertEquals(1, lanes.depth(b));
        assertEquals(2, lanes.peakDepth());
        lanes.offer(datagram(ids[0], 4));
        assertFalse(lanes.offer(datagram(ids[0], 5)), "full");
        assertEquals(3, lanes.peakDepth());
        // The first thread to take is bound to lane 0.
        CompletableFuture.runAsync(() -> {
            try {
                while (lanes.depth(0) > 0) {
                    lanes.take();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);
        assertEquals(0, lanes.depth(0));
        assertEquals(3, lanes.peakDepth(), "the peak stays when the lane drains");
        assertEquals(1, lanes.fullDrops());
    }

    @Test
    void theTimeAWorkerHoldsEachDatagramIsSummedAndASlowOneCounted() throws Exception {
        CallIdLanes lanes = new CallIdLanes(1, 10, 0, now::get, nanos::get);
        for (int i = 0; i < 3; i++) {
            lanes.offer(datagram("a@h", 10_000));
        }
        CompletableFuture.runAsync(() -> {
            try {
                lanes.take();
                nanos.addAndGet(150_000_000L); // the first one took 150 ms
                lanes.take();
                nanos.addAndGet(2_000_000L);
                lanes.take();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);
        assertEquals(3, lanes.processed());
        assertEquals(152_000_000L, lanes.busyNanos(), "the third is still being worked on");
        assertEquals(1, lanes.slow());
        assertEquals(150_000_000L, lanes.slowestNanos());
    }

    @Test
    void waitingForADatagramIsNotCountedAsBusy() throws Exception {
        CallIdLanes lanes = new CallIdLanes(1, 10, 0, now::get, nanos::get);
        lanes.offer(datagram("a@h", 10_000));
        CompletableFuture.runAsync(() -> {
            try {
                lanes.take();
                nanos.addAndGet(1_000_000L);
                // Asking for the next one ends the first; the wait (null after the timeout) is not work.
                assertNull(lanes.poll(1, TimeUnit.MILLISECONDS));
                nanos.addAndGet(500_000_000L);
                assertNull(lanes.poll(1, TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(5, TimeUnit.SECONDS);
        assertEquals(1, lanes.processed());
        assertEquals(1_000_000L, lanes.busyNanos());
        assertEquals(0, lanes.slow());
    }
}
