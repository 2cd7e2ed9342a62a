package io.warmline.webrtc.dtls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DatagramQueueTransportTest {
    private final List<byte[]> sent = new ArrayList<>();
    private int closes;
    private final DatagramQueueTransport transport = new DatagramQueueTransport(4, 10, 16, sent::add,
            () -> closes++);

    @Test
    void recordsOfAFlightArePackedUntilTheReceiveThatWaitsForTheAnswer() throws Exception {
        transport.send(new byte[] {1, 2, 3}, 0, 3);
        transport.send(new byte[] {4, 5, 6, 7}, 0, 4);
        assertTrue(sent.isEmpty());
        transport.send(new byte[] {8, 9, 10, 11}, 0, 4);
        assertEquals(1, sent.size(), "the third record would overflow the send limit");
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7}, sent.get(0));
        assertEquals(-1, transport.receive(new byte[16], 0, 16, 1));
        assertArrayEquals(new byte[] {8, 9, 10, 11}, sent.get(1));
    }

    @Test
    void nonBlockingReadsEndWithWouldBlockAndWritesGoOutAtOnce() throws Exception {
        transport.nonBlocking();
        assertThrows(DatagramQueueTransport.WouldBlock.class, () -> transport.receive(new byte[16], 0, 16, 1000));
        transport.send(new byte[] {1}, 0, 1);
        assertEquals(1, sent.size());
        assertTrue(transport.offer(new byte[] {7, 8}));
        byte[] buf = new byte[16];
        assertEquals(2, transport.receive(buf, 0, 16, 0));
        assertEquals(7, buf[0]);
    }

    @Test
    void boundedQueueAndOversizedDatagramsAreCountedDrops() {
        for (int i = 0; i < 4; i++) {
            assertTrue(transport.offer(new byte[] {(byte) i}));
        }
        assertFalse(transport.offer(new byte[] {9}));
        assertFalse(transport.offer(new byte[17]));
        assertFalse(transport.offer(new byte[0]));
        assertEquals(3, transport.dropped());
    }

    @Test
    void abortWakesABlockedReceiveAndStopsSending() throws Exception {
        Thread reader = new Thread(() -> assertThrows(DatagramQueueTransport.WouldBlock.class,
                () -> transport.receive(new byte[16], 0, 16, 60_000)));
        reader.start();
        transport.abort();
        reader.join(5_000);
        assertFalse(reader.isAlive());
        transport.send(new byte[] {1}, 0, 1);
        transport.flush();
        assertTrue(sent.isEmpty());
    }

    @Test
    void closeFlushesAndNotifiesOnce() {
        transport.send(new byte[] {21, 1}, 0, 2);
        transport.close();
        transport.close();
        assertEquals(1, sent.size());
        assertEquals(1, closes);
        assertTrue(transport.isClosed());
    }
}
