package io.warmline.webrtc.dtls.internal;

import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.bouncycastle.tls.DatagramTransport;

/**
 * BouncyCastle's {@link DatagramTransport} over a bounded queue: the event loop {@link #offer}s inbound datagrams,
 * BouncyCastle's blocking {@link #receive} takes them (on the handshake thread), and {@link #send} hands each outbound
 * datagram to a callback that the network edge writes.
 *
 * <p>Two receive modes: while the handshake runs, {@code receive} blocks up to the wait BouncyCastle asks for, so its
 * retransmission timers fire (RFC 6347 §4.2.4); once established, the owner calls {@link #nonBlocking()} and drives
 * BouncyCastle from the event loop, where an empty queue ends the read with {@link WouldBlock} instead of a wait.
 * {@code offer} and {@code close} are thread-safe.
 *
 * <p>BouncyCastle writes one record per call. During the handshake the records of a flight are packed into as few
 * datagrams as the send limit allows (RFC 6347 §4.1.1 allows several records per datagram) and flushed when
 * BouncyCastle starts waiting for the peer's answer. Besides saving datagrams this keeps a ChangeCipherSpec in the
 * same datagram as the handshake messages before it: a peer that received the ChangeCipherSpec without them would
 * switch epochs early and never accept their retransmissions (BouncyCastle itself behaves so).
 */
public final class DatagramQueueTransport implements DatagramTransport {

    /** Thrown from receive when nothing is queued in non-blocking mode; BouncyCastle passes it up unchanged. */
    public static final class WouldBlock extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        WouldBlock(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static final byte[] WAKE_UP = new byte[0];
    /** BouncyCastle's 0 means "no limit"; we wait in slices and let it call again. */
    private static final int MAX_SLICE_MILLIS = 1000;

    private final BlockingQueue<byte[]> inbound;
    private final Consumer<byte[]> sender;
    private final int sendLimit;
    private final int receiveLimit;
    private final Runnable onClose;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final byte[] pending;
    private int pendingLength;
    private volatile boolean nonBlocking;
    private volatile boolean closed;

    public DatagramQueueTransport(int capacity, int sendLimit, int receiveLimit, Consumer<byte[]> sender,
                                  Runnable onClose) {
        this.inbound = new ArrayBlockingQueue<>(capacity);
        this.sendLimit = sendLimit;
        this.receiveLimit = receiveLimit;
        this.sender = sender;
        this.onClose = onClose;
        this.pending = new byte[sendLimit];
    }

    /** Queues one datagram (the array is kept, not copied); false when full, oversized or closed (counted). */
    public boolean offer(byte[] datagram) {
        if (closed || datagram.length == 0 || datagram.length > receiveLimit || !inbound.offer(datagram)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    public void countDrop() {
        dropped.incrementAndGet();
    }

    /** From now on reads never wait and writes go out at once; pending records are flushed first. */
    public void nonBlocking() {
        flush();
        nonBlocking = true;
    }

    public boolean isEmpty() {
        return inbound.isEmpty();
    }

    public boolean isClosed() {
        return closed;
    }

    public long dropped() {
        return dropped.get();
    }

    public long sent() {
        return sent.get();
    }

    /** Wakes a blocked receive, which then reports the transport closed; sends stop. */
    public void abort() {
        closed = true;
        synchronized (this) {
            pendingLength = 0;
        }
        inbound.clear();
        inbound.offer(WAKE_UP);
    }

    @Override
    public int getReceiveLimit() {
        return receiveLimit;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws InterruptedIOException {
        flush();
        while (true) {
            if (closed) {
                throw new WouldBlock("closed");
            }
            byte[] datagram;
            if (nonBlocking) {
                datagram = inbound.poll();
                if (datagram == null) {
                    throw new WouldBlock("no datagram queued");
                }
            } else {
                int wait = waitMillis <= 0 ? MAX_SLICE_MILLIS : Math.min(waitMillis, MAX_SLICE_MILLIS);
                try {
                    datagram = inbound.poll(wait, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
                if (datagram == null) {
                    return -1;
                }
            }
            if (datagram == WAKE_UP) {
                continue;
            }
            if (datagram.length > len) {
                dropped.incrementAndGet();
                continue;
            }
            System.arraycopy(datagram, 0, buf, off, datagram.length);
            return datagram.length;
        }
    }

    @Override
    public synchronized void send(byte[] buf, int off, int len) {
        if (closed) {
            return;
        }
        if (nonBlocking || len > pending.length) {
            flush();
            emit(buf, off, len);
            return;
        }
        if (pendingLength + len > pending.length) {
            flush();
        }
        System.arraycopy(buf, off, pending, pendingLength, len);
        pendingLength += len;
    }

    /** Sends the records packed so far as one datagram. */
    public synchronized void flush() {
        if (pendingLength > 0 && !closed) {
            emit(pending, 0, pendingLength);
        }
        pendingLength = 0;
    }

    private void emit(byte[] buf, int off, int len) {
        byte[] datagram = new byte[len];
        System.arraycopy(buf, off, datagram, 0, len);
        sent.incrementAndGet();
        sender.accept(datagram);
    }

    /** Called by BouncyCastle when the association ends (after its close_notify or a fatal alert). */
    @Override
    public void close() {
        flush();
        if (!closed) {
            closed = true;
            onClose.run();
        }
    }
}
